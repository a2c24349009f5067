using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Secrets;

namespace CfManagement.Commands.Rotation
{
    /// <summary>
    /// <para type="synopsis">Hands a secret (SecureString) to the later steps of a GitHub Actions job: masks it (::add-mask::) and appends it to $GITHUB_ENV (-GitHubEnv NAME) or $GITHUB_OUTPUT (-GitHubOutput NAME) with a random heredoc delimiter.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfGitHubActionsVariable", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EnvSet)]
    [OutputType(typeof(void))]
    public sealed class SetCfGitHubActionsVariableCommand : CfCmdlet
    {
        private const string EnvSet = "Env";
        private const string OutputSet = "Output";

        /// <summary>The environment variable later steps read (appended to the $GITHUB_ENV file).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = EnvSet, ValueFromPipelineByPropertyName = true)]
        public string? GitHubEnv { get; set; }

        /// <summary>The step output (steps.&lt;id&gt;.outputs.NAME; appended to the $GITHUB_OUTPUT file).</summary>
        [Parameter(Mandatory = true, ParameterSetName = OutputSet, ValueFromPipelineByPropertyName = true)]
        public string? GitHubOutput { get; set; }

        /// <summary>The secret, as a SecureString (e.g. Get-Secret output).</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        public SecureString? Value { get; set; }

        protected override void ProcessCfRecord()
        {
            if (WriteErrors(GitHubActionsDestination.Validate(GitHubEnv, GitHubOutput))) return;
            if (Value == null || Value.Length == 0)
            {
                WriteError(Validation.InputValidator.Invalid(ErrorIds.SecretValueRequired, nameof(Value), null, "-Value is empty.", "Pass the secret as a non-empty SecureString, e.g. (Get-Secret -Vault <vault> -Name <name>)."));
                return;
            }
            var toOutput = ParameterSetName == OutputSet;
            var name = toOutput ? GitHubOutput! : GitHubEnv!;
            var fileVariable = toOutput ? "GITHUB_OUTPUT" : "GITHUB_ENV";
            var description = $"{(toOutput ? GitHubActionsDestination.OutputKind : GitHubActionsDestination.EnvKind)}:{name}";
            if (!ShouldProcess(description, $"Mask the value and append it to the {fileVariable} file")) return;
            var path = Environment.GetEnvironmentVariable(fileVariable)!;
            var plain = Http.SecureStringReader.ToPlainText(Value);
            try
            {
                // Mask first: the runner replaces the value with *** in every log line from then on (stdout, not a PowerShell stream).
                GitHubActionsFile.WriteMask(Console.Out, plain);
                GitHubActionsFile.Append(path, name, plain);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                var message = $"Writing {description} to the {fileVariable} file failed: {ex.Message}";
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.DestinationWriteFailed, ErrorCategory.WriteError, description)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Check that the step can write {path}, then retry." },
                });
                return;
            }
            WriteVerbose($"Wrote {description} (masked) to the {fileVariable} file.");
        }
    }
}
