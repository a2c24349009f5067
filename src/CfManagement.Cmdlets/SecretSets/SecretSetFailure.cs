using System.Management.Automation;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// Why a batch failed, as the target reads Cloudflare's answer. <see cref="StopsTarget"/>: the rest of the target's
    /// batches would fail the same way (a gradual deployment, a missing script), so they are not sent.
    /// </summary>
    internal sealed class SecretSetFailure
    {
        public SecretSetFailure(string errorId, ErrorCategory category, string reason, string fix, bool stopsTarget)
        {
            ErrorId = errorId;
            Category = category;
            Reason = reason;
            Fix = fix;
            StopsTarget = stopsTarget;
        }

        public string ErrorId { get; }
        public ErrorCategory Category { get; }
        public string Reason { get; }
        public string Fix { get; }
        public bool StopsTarget { get; }
    }
}
