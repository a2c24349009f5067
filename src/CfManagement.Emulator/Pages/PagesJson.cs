using System.Text.Json.Nodes;
using CfManagement.Emulator.Tokens;

namespace CfManagement.Emulator.Pages;

/// <summary>
/// Projects and deployments as the API shows them. A secret_text variable shows as {type: "secret_text", value: ""}
/// (the spec's example of a read project): its value never leaves the emulator.
/// </summary>
internal static class PagesJson
{
    public static JsonObject Project(PagesProject project)
    {
        var latest = project.Deployments.LastOrDefault();
        var canonical = project.Deployments.LastOrDefault(d => d.Environment == PagesEnvironment.Production);
        return new JsonObject
        {
            ["id"] = project.Id,
            ["name"] = project.Name,
            ["subdomain"] = project.Subdomain,
            ["domains"] = new JsonArray(project.Subdomain),
            ["production_branch"] = project.ProductionBranch,
            ["created_on"] = TokenJson.Time(project.CreatedOn),
            ["source"] = project.Source?.DeepClone(),
            ["build_config"] = BuildConfig(project),
            ["deployment_configs"] = new JsonObject
            {
                [PagesEnvironment.Production] = Environment(project.Production),
                [PagesEnvironment.Preview] = Environment(project.Preview),
            },
            ["latest_deployment"] = latest is null ? null : Deployment(project, latest),
            ["canonical_deployment"] = canonical is null ? null : Deployment(project, canonical),
        };
    }

    public static JsonObject Deployment(PagesProject project, PagesDeployment deployment)
    {
        var stage = (string name) => new JsonObject
        {
            ["name"] = name,
            ["started_on"] = TokenJson.Time(deployment.CreatedOn),
            ["ended_on"] = TokenJson.Time(deployment.CreatedOn),
            ["status"] = "success",
        };
        var url = $"https://{deployment.ShortId}.{project.Subdomain}";
        return new JsonObject
        {
            ["id"] = deployment.Id,
            ["short_id"] = deployment.ShortId,
            ["project_id"] = project.Id,
            ["project_name"] = project.Name,
            ["environment"] = deployment.Environment,
            ["url"] = url,
            ["created_on"] = TokenJson.Time(deployment.CreatedOn),
            ["modified_on"] = TokenJson.Time(deployment.CreatedOn),
            ["aliases"] = deployment.Environment == PagesEnvironment.Production ? new JsonArray($"https://{project.Subdomain}") : null,
            ["latest_stage"] = stage("deploy"),
            ["stages"] = new JsonArray(stage("queued"), stage("initialize"), stage("clone_repo"), stage("build"), stage("deploy")),
            ["deployment_trigger"] = new JsonObject
            {
                ["type"] = "ad_hoc",
                ["metadata"] = new JsonObject { ["branch"] = deployment.Branch, ["commit_hash"] = "", ["commit_message"] = "" },
            },
            ["env_vars"] = EnvVars(project.Environment(deployment.Environment)),
            ["is_skipped"] = false,
            ["source"] = project.Source?.DeepClone(),
            ["build_config"] = BuildConfig(project),
        };
    }

    private static JsonObject BuildConfig(PagesProject project)
    {
        var json = new JsonObject
        {
            ["build_caching"] = null, ["build_command"] = null, ["destination_dir"] = null, ["root_dir"] = null,
            ["web_analytics_tag"] = null, ["web_analytics_token"] = null,
        };
        foreach (var (key, value) in project.BuildConfig)
            json[key] = value?.DeepClone();
        return json;
    }

    private static JsonObject Environment(PagesEnvironment environment)
    {
        var json = new JsonObject();
        foreach (var (key, value) in environment.Settings)
            json[key] = value?.DeepClone();
        json["env_vars"] = environment.EnvVars.Count == 0 ? null : EnvVars(environment);
        return json;
    }

    private static JsonObject EnvVars(PagesEnvironment environment)
    {
        var json = new JsonObject();
        foreach (var (name, variable) in environment.EnvVars)
            json[name] = new JsonObject { ["type"] = variable.Type, ["value"] = variable.IsSecret ? "" : variable.Value };
        return json;
    }
}
