using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Workers;
using CfManagement.Errors;
using CfManagement.Tail;
using CfManagement.Validation;

namespace CfManagement.Commands.Tail
{
    /// <summary>What the tail commands share: the tails API over the session and one reading of a bad filter.</summary>
    public abstract class TailCmdlet : WorkerScriptCmdlet
    {
        protected TailsApi TailsApi => new TailsApi(CurrentSession.Client);

        /// <summary>A refused filter as an ErrorRecord whose ErrorId names the filter.</summary>
        protected static ErrorRecord FilterError(TailFilterException e, object? value)
        {
            var id = e.ParameterName switch
            {
                "Status" => ErrorIds.InvalidTailStatus,
                "Method" => ErrorIds.InvalidTailMethod,
                "Header" => ErrorIds.InvalidTailHeaderFilter,
                "ClientIp" => ErrorIds.InvalidTailClientIp,
                "Search" => ErrorIds.InvalidTailSearch,
                "SamplingRate" => ErrorIds.InvalidTailSamplingRate,
                _ => ErrorIds.InvalidTailVersionId,
            };
            var fix = e.Message.Contains(". ") ? e.Message.Substring(e.Message.IndexOf(". ") + 2) : e.Message;
            return InputValidator.Invalid(id, e.ParameterName, value, e.Message, fix);
        }
    }
}
