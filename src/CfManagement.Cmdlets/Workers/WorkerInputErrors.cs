using System;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Workers;

namespace CfManagement.Workers
{
    /// <summary>Refused Worker input as an ErrorRecord: its ErrorId and category by kind, the parameter named first, the fix as the recommended action.</summary>
    internal static class WorkerInputErrors
    {
        public static ErrorRecord ToErrorRecord(WorkerInputException ex)
        {
            var (id, category) = Classify(ex.Fault);
            var message = ex.Message.StartsWith("-" + ex.Source, StringComparison.Ordinal) ? ex.Message : $"-{ex.Source}: {ex.Message}";
            var record = new ErrorRecord(new ArgumentException(message, ex.Source, ex), id, category, ex.File ?? ex.Source);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = ex.Fix };
            return record;
        }

        private static (string Id, ErrorCategory Category) Classify(WorkerInputFault fault)
        {
            switch (fault)
            {
                case WorkerInputFault.ConfigNotFound: return (ErrorIds.WorkerConfigNotFound, ErrorCategory.ObjectNotFound);
                case WorkerInputFault.ConfigSyntax: return (ErrorIds.WorkerConfigSyntax, ErrorCategory.ParserError);
                case WorkerInputFault.ConfigValue: return (ErrorIds.WorkerConfigInvalid, ErrorCategory.InvalidData);
                case WorkerInputFault.ConfigUnsupported: return (ErrorIds.WorkerConfigUnsupported, ErrorCategory.InvalidData);
                case WorkerInputFault.EnvironmentNotFound: return (ErrorIds.WorkerEnvironmentNotFound, ErrorCategory.ObjectNotFound);
                case WorkerInputFault.MainNotFound: return (ErrorIds.WorkerMainNotFound, ErrorCategory.ObjectNotFound);
                case WorkerInputFault.ModuleNotFound: return (ErrorIds.WorkerModuleNotFound, ErrorCategory.ObjectNotFound);
                case WorkerInputFault.ModuleOutsideRoot: return (ErrorIds.WorkerModuleOutsideRoot, ErrorCategory.InvalidData);
                case WorkerInputFault.ModuleTypeUnsupported: return (ErrorIds.WorkerModuleTypeUnsupported, ErrorCategory.InvalidData);
                case WorkerInputFault.BundleTooLarge: return (ErrorIds.WorkerBundleTooLarge, ErrorCategory.LimitsExceeded);
                case WorkerInputFault.ScriptName: return (ErrorIds.InvalidScriptName, ErrorCategory.InvalidArgument);
                case WorkerInputFault.CompatibilityDate: return (ErrorIds.InvalidCompatibilityDate, ErrorCategory.InvalidArgument);
                case WorkerInputFault.Binding: return (ErrorIds.InvalidWorkerBinding, ErrorCategory.InvalidArgument);
                case WorkerInputFault.DuplicateBinding: return (ErrorIds.DuplicateWorkerBinding, ErrorCategory.InvalidArgument);
                case WorkerInputFault.TailConsumer: return (ErrorIds.InvalidTailConsumer, ErrorCategory.InvalidArgument);
                case WorkerInputFault.Annotation: return (ErrorIds.InvalidVersionAnnotation, ErrorCategory.InvalidArgument);
                default: throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
            }
        }
    }
}
