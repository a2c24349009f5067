using System;
using System.Linq;
using System.Management.Automation;
using CfManagement.Completion;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Model;
using CfManagement.SecretSets;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Lists a Worker script's secrets: names and types. Values are never returned (Cloudflare does not give them back).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfWorkerSecret")]
    [OutputType(typeof(CfWorkerSecret))]
    public sealed class GetCfWorkerSecretCommand : CfSessionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("WorkerScript", "ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string[]? Script { get; set; }

        /// <summary>Secret names to show; wildcards allowed.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var ok = true;
            foreach (var script in Script!)
                if (WorkerInputValidator.CheckScriptName(script, nameof(Script)) is ErrorRecord bad) { WriteError(bad); ok = false; }
            foreach (var name in Name ?? Array.Empty<string>())
                if (InputValidator.CheckWildcard(name, nameof(Name)) is ErrorRecord bad) { WriteError(bad); ok = false; }
            if (!ok) return;

            var session = CurrentSession;
            if (string.IsNullOrEmpty(session.AccountId))
            {
                WriteError(InputValidator.AccountRequired("Script", Script![0], "Worker secrets live in an account"));
                return;
            }
            var patterns = (Name ?? Array.Empty<string>()).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var script in Script!)
            {
                try
                {
                    foreach (var secret in Await(ct => session.Workers.ListSecretsAsync(session.AccountId!, script, ct)))
                        if (patterns.Count == 0 || patterns.Any(p => p.IsMatch(secret.Name))) WriteObject(secret);
                }
                catch (CloudflareApiException ex)
                {
                    WriteError(SecretSetErrorRecords.FromFailure(WorkerSecretSetTarget.DescribeFailure(ex, script), ex, script));
                }
            }
        }
    }
}
