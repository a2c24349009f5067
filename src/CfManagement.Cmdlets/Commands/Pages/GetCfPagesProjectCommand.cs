using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Completion;
using CfManagement.Model;
using CfManagement.Pages;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Gets Pages projects of the account: all, or by -Name (wildcards), with their git source, build settings and variable names.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfPagesProject")]
    [OutputType(typeof(CfPagesProject))]
    public sealed class GetCfPagesProjectCommand : PagesCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [Alias("Project")]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var names = Name ?? Array.Empty<string>();
            var bad = names.Select(n => PagesInput.CheckProjectName(n, nameof(Name), wildcards: true)).Where(e => e != null).ToList();
            if (WriteErrors(bad!)) return;
            var accountId = RequirePagesAccount(nameof(Name), Name);
            if (accountId == null) return;
            var session = CurrentSession;

            // Exact names are one GET each; a wildcard (or nothing) lists every page and filters here.
            var exact = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n)).ToList();
            var patterns = names.Where(WildcardPattern.ContainsWildcardCharacters).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in exact)
            {
                try
                {
                    var project = Await(ct => session.Pages.GetAsync(accountId, name, ct));
                    if (written.Add(project.Name)) WriteObject(project);
                }
                catch (CloudflareApiException ex) when (PagesInput.IsProjectNotFound(ex))
                {
                    WriteError(PagesInput.ProjectNotFound(name, ex));
                }
                catch (CloudflareApiException ex)
                {
                    WriteApiError(ex, name);
                }
            }
            if (names.Length > 0 && patterns.Count == 0) return;
            ReadAllPages("Listing Pages projects", (page, ct) => session.Pages.ListPageAsync(accountId, page, ct), project =>
            {
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(project.Name))) return;
                if (written.Add(project.Name)) WriteObject(project);
            });
        }
    }
}
