using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using CfManagement.Ledger;

namespace CfManagement.Secrets
{
    /// <summary>
    /// Runs another module's command (Set-Secret, Get-SecretInfo, Remove-Secret) in the caller's runspace on the
    /// cmdlet's pipeline thread, as if it were part of our cmdlet: its diagnostics come out of our streams and it
    /// leaves nothing in $Error.
    /// </summary>
    /// <remarks>
    /// A nested pipeline (PowerShell.Create(CurrentRunspace)) does not collect verbose, warning, debug or information
    /// records in its own Streams: they go straight to the host, past the caller's 4&gt;$null or *&gt;&amp;1. Merging
    /// them into the output lets us hand them to our own Write* calls, which honour -Verbose, -WarningAction,
    /// $VerbosePreference and redirection. Its errors land in the runspace's $Error even when we recover (the
    /// metadata fallback) or turn them into our own error record, so we take back what it added.
    /// </remarks>
    internal static class CallerRunspaceCommand
    {
        private static readonly PipelineResultTypes[] Relayed =
        {
            PipelineResultTypes.Verbose, PipelineResultTypes.Warning, PipelineResultTypes.Debug, PipelineResultTypes.Information,
        };

        /// <summary>
        /// Invokes <paramref name="command"/> with ErrorAction Stop; returns its output, or throws the RuntimeException
        /// it stopped with. Call only on the pipeline thread (the cmdlet's runspace is busy with us otherwise).
        /// </summary>
        public static Collection<PSObject> Invoke(PSCmdlet cmdlet, string command, IEnumerable<(string Name, object Value)> parameters)
        {
            var errors = cmdlet.GetVariableValue("global:Error") as ArrayList;
            var newestError = errors != null && errors.Count > 0 ? errors[0] : null;
            var merged = new List<PSObject>();
            try
            {
                using (var ps = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    ps.AddCommand(command);
                    foreach (var (name, value) in parameters) ps.AddParameter(name, value);
                    ps.AddParameter("ErrorAction", ActionPreference.Stop);
                    // Always ask for its verbose lines: our WriteVerbose decides whether the caller sees them.
                    ps.AddParameter("Verbose", true);
                    foreach (var stream in Relayed) ps.Commands.Commands[0].MergeMyResults(stream, PipelineResultTypes.Output);
                    ps.Invoke(null, merged); // what it wrote before a failure stays in merged
                    if (ps.HadErrors) throw new RuntimeException($"{command} reported an error.");
                }
            }
            finally
            {
                ForgetErrorsSince(errors, newestError);
                Relay(cmdlet, command, merged);
            }
            var output = new Collection<PSObject>();
            foreach (var item in merged)
                if (!IsStreamRecord(item?.BaseObject)) output.Add(item!);
            return output;
        }

        private static bool IsStreamRecord(object? item) => item is InformationalRecord || item is InformationRecord;

        /// <summary>Removes the entries the nested command put at the top of $Error (newest first), down to the one that was newest before it.</summary>
        private static void ForgetErrorsSince(ArrayList? errors, object? newestBefore)
        {
            if (errors == null) return;
            while (errors.Count > 0 && !ReferenceEquals(errors[0], newestBefore)) errors.RemoveAt(0);
        }

        private static void Relay(Cmdlet cmdlet, string command, List<PSObject> merged)
        {
            foreach (var item in merged)
            {
                if (cmdlet.Stopping) return; // nothing can be written once the pipeline is stopping (rollback after Ctrl+C)
                switch (item?.BaseObject)
                {
                    // Debug output of a vault extension is the likeliest place for raw data: never relayed.
                    case DebugRecord _:
                        break;
                    case VerboseRecord verbose:
                        cmdlet.WriteVerbose($"{command}: {Guard(command, verbose.Message)}");
                        break;
                    case WarningRecord warning:
                        cmdlet.WriteWarning($"{command}: {Guard(command, warning.Message)}");
                        break;
                    case InformationRecord information:
                        var text = Guard(command, information.MessageData?.ToString());
                        var relayed = new InformationRecord(text, command);
                        foreach (var tag in information.Tags) relayed.Tags.Add(tag);
                        cmdlet.WriteInformation(relayed);
                        break;
                }
            }
        }

        /// <summary>Text from another module is relayed only when nothing in it looks like a credential.</summary>
        private static string Guard(string command, string? text) =>
            SecretGuard.LooksLikeSecret(text) ? $"(a message from {command} was withheld: it may contain a credential)" : text ?? string.Empty;
    }
}
