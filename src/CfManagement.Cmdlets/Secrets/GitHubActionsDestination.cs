using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Issuance;
using CfManagement.Validation;

namespace CfManagement.Secrets
{
    /// <summary>
    /// A GitHub Actions variable for the job's later steps: <c>github:NAME</c> appends to the file named by $GITHUB_ENV
    /// (later steps read $env:NAME), <c>github-output:NAME</c> to $GITHUB_OUTPUT (steps.&lt;id&gt;.outputs.NAME).
    /// <para>
    /// Write first registers the value as a secret with the runner (<c>::add-mask::</c>), so the runner replaces it with
    /// *** in every log line from then on, then appends a heredoc entry (<see cref="GitHubActionsFile"/>).
    /// The mask command is written to <see cref="Console.Out"/>, the process's stdout, which is what the runner reads
    /// workflow commands from. It deliberately bypasses every PowerShell stream: WriteObject, Write-Host and the
    /// information stream can be captured, redirected (6&gt;, *&gt;) or recorded by Start-Transcript into a file that the
    /// runner never masks, and the mask command carries the value itself.
    /// </para>
    /// <para>
    /// Remove (rollback and cleanup): the files are append-only and the runner applies the last entry for a name, so
    /// removal appends NAME with an empty value; later steps see an empty variable instead of a value that was rolled
    /// back. The mask stays registered (harmless). Outside Actions, or when the file is gone (the step ended), there
    /// is nothing that could carry the value further, so removal does nothing.
    /// </para>
    /// </summary>
    internal sealed class GitHubActionsDestination : ISecretDestination
    {
        public const string EnvKind = "github";
        public const string OutputKind = "github-output";

        // An environment variable name as GitHub and every shell accept it.
        private static readonly Regex ValidName = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);

        private string? _writtenTo;

        public GitHubActionsDestination(string variableName, bool toOutput)
        {
            Name = variableName;
            ToOutput = toOutput;
        }

        /// <summary>The variable (or output) name later steps read.</summary>
        public string Name { get; }

        /// <summary>True for $GITHUB_OUTPUT (a step output), false for $GITHUB_ENV (an environment variable of later steps).</summary>
        public bool ToOutput { get; }

        /// <summary>GITHUB_ENV or GITHUB_OUTPUT: the environment variable naming the file this destination appends to.</summary>
        public string FileVariable => ToOutput ? "GITHUB_OUTPUT" : "GITHUB_ENV";

        public string Description => $"{(ToOutput ? OutputKind : EnvKind)}:{Name}";

        /// <summary>
        /// The -GitHubEnv and -GitHubOutput checks, before any request: a valid variable name, and a GitHub Actions step
        /// (GITHUB_ACTIONS=true, and the file variable naming an existing file). The roll kills the old value, so a
        /// destination that cannot be written must be refused up front.
        /// </summary>
        public static List<ErrorRecord> Validate(string? githubEnv, string? githubOutput)
        {
            var errors = new List<ErrorRecord>();
            foreach (var (parameter, name, fileVariable) in new[] { ("GitHubEnv", githubEnv, "GITHUB_ENV"), ("GitHubOutput", githubOutput, "GITHUB_OUTPUT") })
            {
                if (name == null) continue;
                if (!ValidName.IsMatch(name))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, parameter, name,
                        $"-{parameter} '{name}' is not an environment variable name (a letter or '_', then letters, digits or '_').", "Use a name such as CF_API_TOKEN."));
                else if (parameter == "GitHubEnv" && IsReservedEnvName(name))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidSecretName, parameter, name,
                        $"-GitHubEnv '{name}' cannot be set: GitHub Actions does not let a step overwrite GITHUB_* and RUNNER_* variables.", "Use another name, such as CF_API_TOKEN."));
                if (CheckActions(parameter, name, fileVariable) is ErrorRecord notInActions) errors.Add(notInActions);
            }
            return errors;
        }

        /// <summary>The destinations the parameters name (none when both are null).</summary>
        public static IEnumerable<ISecretDestination> Create(string? githubEnv, string? githubOutput)
        {
            if (githubEnv != null) yield return new GitHubActionsDestination(githubEnv, toOutput: false);
            if (githubOutput != null) yield return new GitHubActionsDestination(githubOutput, toOutput: true);
        }

        /// <summary>Reads a recorded description's parts ("github" or "github-output", then NAME); null when it is not that shape.</summary>
        public static GitHubActionsDestination? Parse(string kind, string name)
        {
            if (kind != EnvKind && kind != OutputKind) return null;
            return ValidName.IsMatch(name) ? new GitHubActionsDestination(name, kind == OutputKind) : null;
        }

        public void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata)
        {
            // An API token has one secret part; a multi-part credential puts its primary secret here.
            var path = CurrentFile() ?? throw new DestinationException(
                $"{Description}: not in a GitHub Actions step ({FileVariable} is unset or its file is missing), so the value cannot be handed to later steps.", null);
            var value = Http.SecureStringReader.ToPlainText(credential.PrimarySecret);
            try
            {
                // Mask before the value is anywhere the runner could log it.
                GitHubActionsFile.WriteMask(Console.Out, value);
                GitHubActionsFile.Append(path, Name, value);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidOperationException)
            {
                // The messages name the file and the delimiter problem, never the value.
                throw new DestinationException($"Writing {Description} to the {FileVariable} file failed: {ex.Message}", null);
            }
            _writtenTo = path;
        }

        public void Remove(CfSessionCmdlet cmdlet)
        {
            var path = _writtenTo ?? CurrentFile();
            if (path == null || !File.Exists(path)) return;
            try
            {
                GitHubActionsFile.Append(path, Name, "");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new DestinationException($"Clearing {Description} in the {FileVariable} file failed: {ex.Message}", null);
            }
        }

        public override string ToString() => Description;

        private string? CurrentFile()
        {
            if (!IsActions()) return null;
            var path = Environment.GetEnvironmentVariable(FileVariable);
            return string.IsNullOrEmpty(path) || !File.Exists(path) ? null : path;
        }

        private static bool IsActions() => string.Equals(Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.Ordinal);

        private static bool IsReservedEnvName(string name) =>
            name.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("RUNNER_", StringComparison.OrdinalIgnoreCase);

        private static ErrorRecord? CheckActions(string parameter, string name, string fileVariable)
        {
            string problem;
            if (!IsActions()) problem = "GITHUB_ACTIONS is not 'true'";
            else if (Environment.GetEnvironmentVariable(fileVariable) is not { Length: > 0 } path) problem = $"{fileVariable} is not set";
            else if (!File.Exists(path)) problem = $"the {fileVariable} file '{path}' does not exist";
            else return null;
            var message = $"-{parameter} {name} writes to the {fileVariable} file of a GitHub Actions step, but this is not one ({problem}).";
            var record = new ErrorRecord(new InvalidOperationException(message), ErrorIds.GitHubActionsRequired, ErrorCategory.InvalidOperation, name);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = $"Run the command in a 'shell: pwsh' step of a GitHub Actions job (the runner sets GITHUB_ACTIONS and {fileVariable}), " +
                                    "or use -Vault, -WorkerScript, -SecretsStore or -PagesProject outside Actions.",
            };
            return record;
        }
    }
}
