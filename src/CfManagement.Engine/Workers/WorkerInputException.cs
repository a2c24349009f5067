using System;

namespace CfManagement.Workers
{
    /// <summary>What is wrong with a Worker's input, found before anything is sent; the cmdlet maps each kind to its ErrorId.</summary>
    public enum WorkerInputFault
    {
        ConfigNotFound,
        ConfigSyntax,
        ConfigValue,
        ConfigUnsupported,
        EnvironmentNotFound,
        MainNotFound,
        ModuleNotFound,
        ModuleOutsideRoot,
        ModuleTypeUnsupported,
        BundleTooLarge,
        ScriptName,
        CompatibilityDate,
        Binding,
        DuplicateBinding,
        TailConsumer,
        Annotation,
    }

    /// <summary>
    /// Refused Worker input: the kind, the parameter or config key it concerns (<see cref="Source"/>), the fix, and
    /// where in a file it was found when it came from one. Never carries a secret value.
    /// </summary>
    public sealed class WorkerInputException : Exception
    {
        public WorkerInputException(WorkerInputFault fault, string source, string message, string fix, string? file = null, int? line = null)
            : base(message)
        {
            Fault = fault;
            Source = source;
            Fix = fix;
            File = file;
            Line = line;
        }

        public WorkerInputFault Fault { get; }

        /// <summary>The parameter (-Config, -Binding, ...) or config key (kv_namespaces[0].id) the problem is in.</summary>
        public new string Source { get; }

        public string Fix { get; }
        public string? File { get; }
        public int? Line { get; }
    }
}
