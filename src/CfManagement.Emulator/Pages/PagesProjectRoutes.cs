using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Auth;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;
using CfManagement.Emulator.Multipart;

namespace CfManagement.Emulator.Pages;

/// <summary>
/// Pages projects under /accounts/{account_id}/pages/projects. Errors: unknown project 404 8000007 (seen; wrangler
/// reads it as "no such project"); a name already taken 409 8000002 (chosen); an invalid body 400 8000000 (chosen),
/// naming the field: project name not [a-z0-9][a-z0-9-]* or longer than 58, production_branch missing on create,
/// source.type not github|gitlab or source.config without owner/repo_name, an unknown build_config key,
/// a deployment_configs key other than production|preview, an env var name not [A-Za-z_][A-Za-z0-9_]* (at most 255),
/// an entry not {type?: plain_text|secret_text, value: string} or null, a value over 5 KiB, a name change;
/// ?env= other than production|preview 400 8000000; page/per_page 400 1115. Reads need Pages Read (Write satisfies
/// it), changes Pages Write, on the account; membership and permission are checked before the project is looked up
/// (403 10000). A body is parsed as JSON whatever its Content-Type (wrangler sends the PATCH with none).
/// Routes:
/// GET projects (page, per_page ≤ 100, default 10) → [project]; POST projects {name, production_branch, source?,
/// build_config?, deployment_configs?} → project; GET projects/{project_name} → project;
/// PATCH projects/{project_name} merges: production_branch and build_config keys replace, source merges into the
/// existing one, deployment_configs.{production|preview} settings replace per key and env_vars
/// {NAME: {type, value} | null} change only the named variables (null deletes; absent: no-op) → project;
/// DELETE projects/{project_name} → null;
/// GET projects/{project_name}/deployments?env=production|preview (paged, default 25) → [deployment], newest first;
/// POST projects/{project_name}/deployments (multipart, optional branch; the production branch by default) → a
/// finished deployment (production when the branch is the production branch, else preview).
/// A project shows secret_text variables as {type: "secret_text", value: ""}: values are stored, never returned.
/// </summary>
internal static class PagesProjectRoutes
{
    public const string Base = "/accounts/{account_id}/pages/projects";
    private const string Project = Base + "/{project_name}";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", Base, List);
        routes.Add("POST", Base, Create);
        routes.Add("GET", Project, Get);
        routes.Add("PATCH", Project, Patch);
        routes.Add("DELETE", Project, Delete);
        routes.Add("GET", Project + "/deployments", ListDeployments);
        routes.Add("POST", Project + "/deployments", CreateDeployment);
    }

    /// <summary>Account membership, then Pages Read or Write on the account (403 10000).</summary>
    public static void Require(ApiContext context, bool write)
    {
        var accountId = context.Route("account_id");
        context.RequireAccountMember(accountId);
        context.Require(write ? PermissionCatalog.PagesWrite : PermissionCatalog.PagesRead, ResourceTarget.Account(accountId));
    }

    /// <summary>The project named by {project_name}, or 404 8000007.</summary>
    public static PagesProject Find(ApiContext context)
    {
        var name = context.Route("project_name");
        return context.State.Pages.Find(name)
            ?? throw new ApiException(404, ErrorCodes.PagesProjectNotFound, "Project not found. The specified project name does not match any of your existing projects.");
    }

    private static ApiResponse List(ApiContext context)
    {
        Require(context, write: false);
        var (page, info) = Paging.Parse(context, 10, 100).Apply(context.State.Pages.All);
        return ApiResponse.Ok(new JsonArray(page.Select(p => (JsonNode?)PagesJson.Project(p)).ToArray()), info);
    }

    private static ApiResponse Create(ApiContext context)
    {
        Require(context, write: true);
        var draft = PagesProjectParser.ParseCreate(context.ReadJsonObject());
        if (context.State.Pages.Find(draft.Name!) is not null)
            throw new ApiException(409, ErrorCodes.PagesProjectNameTaken, "A project with this name already exists. Choose a different project name.");
        var project = context.State.Pages.Add(draft.Name!, draft.ProductionBranch!, context.Now);
        Apply(project, draft);
        return ApiResponse.Ok(PagesJson.Project(project));
    }

    private static ApiResponse Get(ApiContext context)
    {
        Require(context, write: false);
        return ApiResponse.Ok(PagesJson.Project(Find(context)));
    }

    private static ApiResponse Patch(ApiContext context)
    {
        Require(context, write: true);
        var project = Find(context);
        Apply(project, PagesProjectParser.ParsePatch(context.ReadJsonObjectOrEmpty(), project));
        return ApiResponse.Ok(PagesJson.Project(project));
    }

    private static ApiResponse Delete(ApiContext context)
    {
        Require(context, write: true);
        context.State.Pages.Remove(Find(context));
        return ApiResponse.Ok(null);
    }

    private static ApiResponse ListDeployments(ApiContext context)
    {
        Require(context, write: false);
        var project = Find(context);
        var environment = context.Query("env");
        if (environment is not null && !PagesEnvironment.Names.Contains(environment))
            throw PagesProjectParser.Invalid("env must be production or preview");
        var deployments = project.Deployments.Where(d => environment is null || d.Environment == environment).Reverse().ToList();
        var (page, info) = Paging.Parse(context, 25, 100).Apply(deployments);
        return ApiResponse.Ok(new JsonArray(page.Select(d => (JsonNode?)PagesJson.Deployment(project, d)).ToArray()), info);
    }

    private static ApiResponse CreateDeployment(ApiContext context)
    {
        Require(context, write: true);
        var project = Find(context);
        var branch = FormField(context, "branch");
        if (branch is not null && string.IsNullOrWhiteSpace(branch))
            throw PagesProjectParser.Invalid("branch must be a non-empty string");
        return ApiResponse.Ok(PagesJson.Deployment(project, project.Deploy(branch, context.Now)));
    }

    /// <summary>A text field of a multipart/form-data body (null when absent or the body is not multipart).</summary>
    private static string? FormField(ApiContext context, string field)
    {
        var contentType = context.Http.Request.ContentType;
        // A form without parts (what MultipartFormDataContent sends with nothing added) is only the closing delimiter.
        if (!MultipartFormData.IsMultipart(contentType) || !context.BodyText.Contains("Content-Disposition", StringComparison.OrdinalIgnoreCase))
            return null;
        try
        {
            var part = MultipartFormData.Parse(context.Body, contentType).FirstOrDefault(p => p.Name == field);
            return part is null ? null : Encoding.UTF8.GetString(part.Content);
        }
        catch (MultipartFormatException e)
        {
            throw PagesProjectParser.Invalid("malformed multipart body: " + e.Message);
        }
    }

    private static void Apply(PagesProject project, PagesProjectDraft draft)
    {
        if (draft.ProductionBranch is not null)
            project.ProductionBranch = draft.ProductionBranch;
        if (draft.HasSource)
            project.Source = draft.Source;
        if (draft.BuildConfig is not null)
            foreach (var (key, value) in draft.BuildConfig)
                project.BuildConfig[key] = value?.DeepClone();
        foreach (var (name, environment) in draft.Environments)
        {
            var target = project.Environment(name);
            target.ApplySettings(environment.Settings);
            target.ApplyEnvVars(environment.EnvVars);
        }
    }
}
