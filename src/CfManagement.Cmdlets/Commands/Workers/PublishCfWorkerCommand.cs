using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Workers;
using CfManagement.Workers.Config;
using CfManagement.Workers.Upload;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Uploads a Worker's modules and bindings as `wrangler deploy --no-bundle` does, from a wrangler config or from parameters.</para>
    /// </summary>
    [Cmdlet(VerbsData.Publish, "CfWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParametersSet)]
    [OutputType(typeof(CfWorkerUpload))]
    public sealed class PublishCfWorkerCommand : CfSessionCmdlet
    {
        private const string ParametersSet = "Parameters";
        private const string ConfigSet = "Config";

        /// <summary>wrangler.toml, wrangler.json or wrangler.jsonc.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ConfigSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "ConfigPath")]
        [ValidateNotNullOrEmpty]
        public string Config { get; set; } = "";

        /// <summary>The config's [env.NAME] to deploy.</summary>
        [Parameter(ParameterSetName = ConfigSet)]
        [ArgumentCompleter(typeof(WranglerEnvironmentCompleter))]
        [Alias("Env")]
        public string? Environment { get; set; }

        /// <summary>The Worker (script) name; with -Config it overrides the config's name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ParametersSet, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ConfigSet)]
        [Alias("Script", "ScriptName")]
        public string? Name { get; set; }

        /// <summary>The main (entry) module; its relative imports are uploaded with it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
        [Alias("Path")]
        public string? Main { get; set; }

        /// <summary>The folder module names are relative to (wrangler's base_dir); the main module's folder by default.</summary>
        [Parameter(ParameterSetName = ParametersSet)]
        public string? BaseDir { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ParametersSet)]
        public string? CompatibilityDate { get; set; }

        [Parameter(ParameterSetName = ParametersSet)]
        [Alias("CompatibilityFlags")]
        public string[]? CompatibilityFlag { get; set; }

        /// <summary>Bindings as hashtables or objects with name, type and the type's fields, e.g. @{ type = 'kv_namespace'; name = 'CACHE'; namespace_id = '...' }.</summary>
        [Parameter(ParameterSetName = ParametersSet)]
        public object[]? Binding { get; set; }

        /// <summary>Variables: a string becomes plain_text, a SecureString secret_text, anything else json.</summary>
        [Parameter(ParameterSetName = ParametersSet)]
        [Alias("Vars")]
        public IDictionary? Var { get; set; }

        /// <summary>Workers that receive this Worker's trace events.</summary>
        [Parameter(ParameterSetName = ParametersSet)]
        public string[]? TailConsumer { get; set; }

        /// <summary>$true, $false, or a hashtable sent as metadata.observability.</summary>
        [Parameter(ParameterSetName = ParametersSet)]
        public object? Observability { get; set; }

        [Parameter(ParameterSetName = ParametersSet)]
        public SwitchParameter Logpush { get; set; }

        /// <summary>Script tags (metadata.tags), as Get-CfWorker -Tag filters them.</summary>
        [Parameter]
        public string[]? ScriptTag { get; set; }

        /// <summary>The version's message (annotation workers/message).</summary>
        [Parameter]
        public string? Message { get; set; }

        /// <summary>The version's tag (annotation workers/tag), e.g. a commit hash.</summary>
        [Parameter]
        public string? Tag { get; set; }

        /// <summary>Upload a version without deploying it (POST .../versions); deploy it later with Set-CfWorkerDeployment.</summary>
        [Parameter]
        public SwitchParameter VersionOnly { get; set; }

        /// <summary>Drop the Worker's existing secrets: sends no keep_bindings, so only the secrets in this upload remain.</summary>
        [Parameter]
        public SwitchParameter ReplaceSecrets { get; set; }

        protected override void ProcessCfRecord()
        {
            WorkerUpload upload;
            WorkerUploadForm form;
            WorkerDefinition definition;
            try
            {
                definition = ParameterSetName == ConfigSet ? FromConfig() : FromParameters();
                upload = WorkerUploadPlanner.Plan(definition, new WorkerUploadOptions
                {
                    ReplaceSecrets = ReplaceSecrets.IsPresent,
                    Message = Message,
                    VersionTag = Tag,
                });
                form = WorkerUploadForm.Build(upload);
            }
            catch (WorkerInputException ex)
            {
                WriteError(WorkerInputErrors.ToErrorRecord(ex));
                return;
            }

            try
            {
                foreach (var key in definition.IgnoredKeys)
                    WriteWarning($"{definition.ConfigPath}: '{key}' is not part of a Worker upload and was not applied (deploy routes, triggers and builds with wrangler).");
                WriteVerbose(Describe(upload, form));
                var action = VersionOnly ? "Upload a new version (not deployed)" : "Upload and deploy";
                if (!ShouldProcess($"Worker '{upload.ScriptName}': {Summary(upload, form)}", action)) return;
                var session = CurrentSession;
                if (string.IsNullOrEmpty(session.AccountId))
                {
                    WriteError(Validation.InputValidator.AccountRequired("Session", null, "Worker scripts live under /accounts/{id}/workers/scripts"));
                    return;
                }
                var api = new WorkerUploadApi(session.Client);
                var result = VersionOnly
                    ? Await(ct => api.UploadVersionAsync(session.AccountId!, upload, form, definition.Environment, ct))
                    : Await(ct => api.UploadScriptAsync(session.AccountId!, upload, form, definition.Environment, ct));
                WriteVerbose(VersionOnly
                    ? $"Uploaded version {result.VersionId} of '{upload.ScriptName}'; it serves no traffic until Set-CfWorkerDeployment."
                    : $"Deployed '{upload.ScriptName}'{(result.VersionId != null ? $" as version {result.VersionId}" : "")}.");
                WriteObject(result);
            }
            catch (CloudflareApiException ex)
            {
                WriteApiError(ex, upload.ScriptName);
            }
            finally
            {
                form.Clear();
            }
        }

        private WorkerDefinition FromConfig()
        {
            var path = GetUnresolvedProviderPathFromPSPath(Config);
            var definition = WranglerConfigReader.Read(path, string.IsNullOrEmpty(Environment) ? null : Environment);
            if (Name != null)
            {
                WorkerUploadPlanner.CheckScriptName(Name, nameof(Name));
                definition.Name = Name;
            }
            AddTags(definition);
            return definition;
        }

        private WorkerDefinition FromParameters()
        {
            var definition = new WorkerDefinition
            {
                Name = Name,
                Main = GetUnresolvedProviderPathFromPSPath(Main),
                BaseDir = string.IsNullOrEmpty(BaseDir) ? null : GetUnresolvedProviderPathFromPSPath(BaseDir),
                CompatibilityDate = CompatibilityDate,
            };
            if (CompatibilityFlag != null) definition.CompatibilityFlags.AddRange(CompatibilityFlag);
            if (Var != null)
            {
                var keys = Var.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture) ?? "");
                // A plain hashtable's order changes between processes; sorting keeps the upload byte-identical.
                if (!(Var is System.Collections.Specialized.IOrderedDictionary)) keys = keys.OrderBy(k => k, StringComparer.Ordinal);
                foreach (var key in keys.ToList())
                    definition.Bindings.Add(WorkerParameterReader.Var(key, PlainObject.From(Var[key]), $"-Var {key}"));
            }
            for (var i = 0; i < (Binding?.Length ?? 0); i++)
            {
                var entry = PlainObject.Entry(Binding![i]) ?? throw new WorkerInputException(WorkerInputFault.Binding, "Binding",
                    $"-Binding[{i}] is not a hashtable or object.", "Pass each binding as @{ type = '...'; name = '...'; ... }.");
                definition.Bindings.Add(WorkerParameterReader.Binding(entry, $"-Binding[{i}]"));
            }
            foreach (var consumer in TailConsumer ?? new string[0]) definition.TailConsumers.Add(new WorkerTailConsumer(consumer));
            if (Observability != null) WorkerParameterReader.SetObservability(definition, PlainObject.From(Observability));
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Logpush))) definition.Logpush = Logpush.IsPresent;
            AddTags(definition);
            return definition;
        }

        private void AddTags(WorkerDefinition definition)
        {
            foreach (var tag in ScriptTag ?? new string[0])
            {
                if (string.IsNullOrWhiteSpace(tag) || tag.Contains(","))
                    throw new WorkerInputException(WorkerInputFault.Annotation, "ScriptTag", $"Script tag '{tag}' is not usable: tags are non-empty and hold no commas.",
                        "Pass each tag as its own value: -ScriptTag prod, team-a.");
                if (!definition.Tags.Contains(tag)) definition.Tags.Add(tag);
            }
        }

        private static string Summary(WorkerUpload upload, WorkerUploadForm form) =>
            $"{upload.Modules.Count} module(s), {Size(form.Body.LongLength)}; bindings: " +
            (upload.Bindings.Count == 0 ? "none" : string.Join(", ", upload.Bindings.Select(b => $"{b.Name} ({b.Type})"))) +
            (upload.KeepBindings.Count > 0 ? $"; keeps existing {string.Join(", ", upload.KeepBindings)}" : "; REPLACES existing secrets");

        private static string Describe(WorkerUpload upload, WorkerUploadForm form) =>
            $"Worker '{upload.ScriptName}', compatibility {upload.CompatibilityDate}" +
            (upload.CompatibilityFlags.Count > 0 ? $" [{string.Join(", ", upload.CompatibilityFlags)}]" : "") +
            $"; modules: {string.Join(", ", upload.Modules.Select(m => $"{m.Name} ({m.ContentType}, {Size(m.Size)})"))}; multipart body {Size(form.Body.LongLength)}.";

        private static string Size(long bytes) =>
            bytes < 1024 ? $"{bytes} B" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.#} KiB" : $"{bytes / 1024.0 / 1024.0:0.##} MiB";
    }
}
