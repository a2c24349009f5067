using System;
using System.Collections.Generic;

namespace CfManagement.Issuance
{
    /// <summary>How compensation went: what was undone, what could not be, and whether the credential itself is dead.</summary>
    internal sealed class Withdrawal
    {
        public Withdrawal(string reason, Exception? cause, bool stopped, IReadOnlyList<string> problems, IReadOnlyList<string> leftStored, bool revoked)
        {
            Reason = reason;
            Cause = cause;
            Stopped = stopped;
            Problems = problems;
            LeftStored = leftStored;
            Revoked = revoked;
        }

        public string Reason { get; }
        public Exception? Cause { get; }
        /// <summary>Ctrl+C caused it (or came during it): nothing can be written to the pipeline.</summary>
        public bool Stopped { get; }
        public IReadOnlyList<string> Problems { get; }
        /// <summary>Destinations that still hold the (dead or live) value, for cleanup.</summary>
        public IReadOnlyList<string> LeftStored { get; }
        public bool Revoked { get; }
        /// <summary>Everything undone: nothing left for cleanup.</summary>
        public bool Complete => Revoked && Problems.Count == 0;
    }
}
