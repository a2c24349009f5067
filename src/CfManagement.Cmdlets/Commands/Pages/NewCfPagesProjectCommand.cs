using System;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Pages;
using CfManagement.Validation;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Creates a Pages project: built from a GitHub or GitLab repository (-SourceType, -Owner, -Repository), or for direct upload when no source is given.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CfPagesProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DirectUploadSet)]
    [OutputType(typeof(CfPagesProject))]
    public sealed class NewCfPagesProjectCommand : PagesCmdlet
    {
        private const string DirectUploadSet = "DirectUpload";
        private const string GitSet = "Git";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Project")]
        public string Name { get; set; } = "";

        /// <summary>The branch whose deployments are production (default main).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string ProductionBranch { get; set; } = "main";

        /// <summary>github or gitlab.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GitSet, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(SourceTypeCompleter))]
        public string SourceType { get; set; } = "";

        /// <summary>The repository's owner (user or organisation).</summary>
        [Parameter(Mandatory = true, ParameterSetName = GitSet, ValueFromPipelineByPropertyName = true)]
        public string Owner { get; set; } = "";

        /// <summary>The repository's name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = GitSet, ValueFromPipelineByPropertyName = true)]
        [Alias("RepoName")]
        public string Repository { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? BuildCommand { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? DestinationDir { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RootDir { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (PagesInput.CheckProjectName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            if (PagesInput.CheckBranch(ProductionBranch, nameof(ProductionBranch)) is ErrorRecord badBranch) errors.Add(badBranch);
            string? sourceType = null;
            if (ParameterSetName == GitSet)
            {
                sourceType = SourceType.ToLowerInvariant();
                if (sourceType != "github" && sourceType != "gitlab")
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidPagesSource, nameof(SourceType), SourceType,
                        $"-SourceType '{SourceType}' is not a Pages git source: Pages builds from github or gitlab.",
                        "Pass -SourceType github or -SourceType gitlab, or leave out -SourceType, -Owner and -Repository for a direct-upload project."));
                foreach (var (parameter, value) in new[] { (nameof(Owner), Owner), (nameof(Repository), Repository) })
                    if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(new[] { ' ', '/', '\\' }) >= 0)
                        errors.Add(InputValidator.Invalid(ErrorIds.InvalidPagesSource, parameter, value,
                            $"-{parameter} '{value}' is not a repository {(parameter == nameof(Owner) ? "owner" : "name")} (non-empty, no spaces or slashes).",
                            "Pass the owner and the repository separately: -Owner my-org -Repository my-site."));
            }
            foreach (var (parameter, value) in new[] { (nameof(BuildCommand), BuildCommand), (nameof(DestinationDir), DestinationDir), (nameof(RootDir), RootDir) })
                if (value != null && string.IsNullOrWhiteSpace(value))
                    errors.Add(InputValidator.Invalid(ErrorIds.InvalidName, parameter, value, $"-{parameter} must not be empty.", $"Pass a value, or leave out -{parameter}."));
            if (WriteErrors(errors)) return;
            var accountId = RequirePagesAccount(nameof(Name), Name);
            if (accountId == null) return;

            var source = sourceType == null ? "direct upload" : $"{sourceType} {Owner}/{Repository}";
            if (!ShouldProcess($"Pages project '{Name}' ({source}, production branch {ProductionBranch})", "Create")) return;
            var session = CurrentSession;
            var definition = new CfPagesProjectDefinition(Name, ProductionBranch, sourceType, sourceType == null ? null : Owner,
                sourceType == null ? null : Repository, BuildCommand, DestinationDir, RootDir);
            try
            {
                WriteObject(Await(ct => session.Pages.CreateAsync(accountId, definition, ct)));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 409)
            {
                var record = ApiErrorMapper.ToErrorRecord(ex, Name);
                WriteError(new ErrorRecord(ex, ErrorIds.PagesProjectNameTaken, ErrorCategory.ResourceExists, Name)
                {
                    ErrorDetails = new ErrorDetails(record.ErrorDetails.Message)
                    {
                        RecommendedAction = "Pages names are unique per account (and as <name>.pages.dev): choose another -Name, or use the existing project (Get-CfPagesProject).",
                    },
                });
            }
        }
    }
}
