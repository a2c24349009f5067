using System;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Model;

namespace CfManagement.Issuance
{
    /// <summary>
    /// What a flow needs from its host instead of the cmdlet: awaiting with a stop policy, a writer that never
    /// writes once stopping, a pause for retry back-off, and the last-resort keeper of a value nothing else holds.
    /// </summary>
    internal interface IFlowContext
    {
        /// <summary>Ctrl+C (or a downstream stop) has been requested.</summary>
        bool Stopping { get; }

        /// <summary>Awaits; Ctrl+C abandons the work and throws PipelineStoppedException.</summary>
        T Await<T>(Func<CancellationToken, Task<T>> work);

        /// <summary>Awaits a request that must not be abandoned once sent (it issues a value): it completes or fails on its own.</summary>
        T AwaitCritical<T>(Func<CancellationToken, Task<T>> work);

        /// <summary>Awaits normally, or (once stopping) as compensating work with its own time budget.</summary>
        void AwaitEvenIfStopping(Func<CancellationToken, Task> work);

        /// <summary>Compensating work (a rollback): runs to completion even after Ctrl+C, on its own time budget.</summary>
        void AwaitCompensation(Func<CancellationToken, Task> work);

        /// <summary>Messages for the caller; dropped once stopping (nothing may be written to a stopping pipeline).</summary>
        IFlowWriter Writer { get; }

        /// <summary>Waits before a retry (tests pass a context that does not sleep).</summary>
        void Pause(TimeSpan delay);

        /// <summary>Keeps a value nothing else holds in the caller's $CfRescuedCredentials (a CfTokenCredential or a CfAccessServiceTokenCredential).</summary>
        void Rescue(object credential);
    }
}
