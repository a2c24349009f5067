using System;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Commands.Base;
using CfManagement.Model;
using CfManagement.Secrets;

namespace CfManagement.Issuance
{
    /// <summary>The flow context of a cmdlet: its await policies, its streams (silent once stopping) and $CfRescuedCredentials.</summary>
    internal sealed class CmdletFlowContext : IFlowContext
    {
        private readonly CfSessionCmdlet _cmdlet;

        public CmdletFlowContext(CfSessionCmdlet cmdlet)
        {
            _cmdlet = cmdlet;
            Writer = new CmdletFlowWriter(cmdlet);
        }

        public bool Stopping => _cmdlet.Stopping;
        public IFlowWriter Writer { get; }

        public T Await<T>(Func<CancellationToken, Task<T>> work) => _cmdlet.Await(work);
        public T AwaitCritical<T>(Func<CancellationToken, Task<T>> work) => _cmdlet.AwaitCritical(work);
        public void AwaitEvenIfStopping(Func<CancellationToken, Task> work) => _cmdlet.AwaitEvenIfStopping(work);
        public void AwaitCompensation(Func<CancellationToken, Task> work) => _cmdlet.AwaitCleanup(work);
        public void Pause(TimeSpan delay) => Thread.Sleep(delay);
        public void Rescue(object credential) => RescuedCredentials.Keep(_cmdlet, credential);
    }
}
