using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class PagesProjectsTests : EmulatorTestBase
{
    private const string SecretValue = "pages-s3cr3t-never-echoed";

    private string Projects => $"accounts/{AccountId}/pages/projects";
    private string ProjectPath(string name = "site") => $"{Projects}/{name}";

    private static JsonObject CreateBody(string name = "site", JsonObject? extra = null)
    {
        var body = new JsonObject { ["name"] = name, ["production_branch"] = "main" };
        foreach (var (key, value) in extra ?? [])
            body[key] = value?.DeepClone();
        return body;
    }

    private static JsonObject EnvVarsPatch(string environment, JsonObject envVars) =>
        new() { ["deployment_configs"] = new JsonObject { [environment] = new JsonObject { ["env_vars"] = envVars } } };

    private static JsonObject Var(string type, string value) => new() { ["type"] = type, ["value"] = value };

    /// <summary>PATCH with no Content-Type at all, as wrangler's pages secret sends it.</summary>
    private Task<Reply> PatchWithoutContentType(string path, string token, JsonNode body) =>
        SendRaw("PATCH", path, null, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
        });

    private async Task<Reply> Create(JsonObject body)
    {
        var reply = await Send("POST", Projects, State.AdminTokenValue, body);
        AssertOk(reply);
        return reply;
    }

    [Fact]
    public async Task Create_get_list_delete_round_trip()
    {
        var source = new JsonObject
        {
            ["type"] = "github",
            ["config"] = new JsonObject { ["owner"] = "raxx", ["repo_name"] = "site", ["production_branch"] = "main" },
        };
        var created = await Create(CreateBody(extra: new JsonObject
        {
            ["source"] = source,
            ["build_config"] = new JsonObject { ["build_command"] = "npm run build", ["destination_dir"] = "dist", ["root_dir"] = "/" },
        }));
        var project = created.Result!;
        Assert.Equal("site", project["name"]!.GetValue<string>());
        Assert.Equal("site.pages.dev", project["subdomain"]!.GetValue<string>());
        Assert.Equal("main", project["production_branch"]!.GetValue<string>());
        Assert.Equal("github", project["source"]!["type"]!.GetValue<string>());
        Assert.Equal("raxx", project["source"]!["config"]!["owner"]!.GetValue<string>());
        Assert.Equal("npm run build", project["build_config"]!["build_command"]!.GetValue<string>());
        Assert.NotNull(project["deployment_configs"]!["production"]);
        Assert.NotNull(project["deployment_configs"]!["preview"]);
        Assert.True(Guid.TryParse(project["id"]!.GetValue<string>(), out _));

        var get = await Send("GET", ProjectPath(), State.AdminTokenValue);
        AssertOk(get);
        Assert.Equal(project["id"]!.GetValue<string>(), get.Result!["id"]!.GetValue<string>());

        await Create(CreateBody("blog"));
        var list = await Send("GET", Projects, State.AdminTokenValue);
        AssertOk(list);
        Assert.Equal(["site", "blog"], list.Result!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal(2, list.Json["result_info"]!["total_count"]!.GetValue<int>());

        var delete = await Send("DELETE", ProjectPath(), State.AdminTokenValue);
        AssertOk(delete);
        Assert.Null(delete.Result);
        Assert.Equal(["blog"], State.PagesProjects);
        AssertError(await Send("GET", ProjectPath(), State.AdminTokenValue), HttpStatusCode.NotFound, 8000007);
        AssertError(await Send("DELETE", ProjectPath(), State.AdminTokenValue), HttpStatusCode.NotFound, 8000007);
    }

    [Fact]
    public async Task A_direct_upload_project_has_no_source()
    {
        var created = await Create(CreateBody());
        Assert.Null(created.Result!["source"]);
        Assert.Null(created.Result!["latest_deployment"]);
    }

    [Fact]
    public async Task Duplicate_names_are_409_8000002()
    {
        await Create(CreateBody());
        AssertError(await Send("POST", Projects, State.AdminTokenValue, CreateBody()), HttpStatusCode.Conflict, 8000002);
        Assert.Equal(["site"], State.PagesProjects);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("-starts-with-dash")]
    [InlineData("has_underscore")]
    [InlineData("has space")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789")]
    public async Task Bad_project_names_are_400_8000000(string name)
    {
        AssertError(await Send("POST", Projects, State.AdminTokenValue, CreateBody(name)), HttpStatusCode.BadRequest, 8000000);
        Assert.Empty(State.PagesProjects);
    }

    [Fact]
    public async Task A_58_character_name_is_accepted()
    {
        await Create(CreateBody(new string('a', 58)));
        Assert.Single(State.PagesProjects);
    }

    [Fact]
    public async Task Invalid_create_bodies_are_400_and_create_nothing()
    {
        var bodies = new JsonNode[]
        {
            new JsonObject { ["name"] = "site" },
            new JsonObject { ["name"] = "site", ["production_branch"] = "" },
            CreateBody(extra: new JsonObject { ["source"] = new JsonObject { ["type"] = "bitbucket", ["config"] = new JsonObject { ["owner"] = "o", ["repo_name"] = "r" } } }),
            CreateBody(extra: new JsonObject { ["source"] = new JsonObject { ["type"] = "github", ["config"] = new JsonObject { ["owner"] = "o" } } }),
            CreateBody(extra: new JsonObject { ["source"] = new JsonObject { ["type"] = "github" } }),
            CreateBody(extra: new JsonObject { ["build_config"] = new JsonObject { ["make"] = "x" } }),
            CreateBody(extra: new JsonObject { ["build_config"] = new JsonObject { ["build_caching"] = "yes" } }),
            CreateBody(extra: new JsonObject { ["deployment_configs"] = new JsonObject { ["staging"] = new JsonObject() } }),
            CreateBody(extra: EnvVarsPatch("production", new JsonObject { ["1BAD"] = Var("plain_text", "v") })),
            CreateBody(extra: EnvVarsPatch("production", new JsonObject { ["A"] = Var("json", "v") })),
            CreateBody(extra: EnvVarsPatch("production", new JsonObject { ["A"] = new JsonObject { ["type"] = "secret_text" } })),
            CreateBody(extra: EnvVarsPatch("production", new JsonObject { ["A"] = "v" })),
            CreateBody(extra: EnvVarsPatch("production", new JsonObject { ["A"] = Var("secret_text", new string('x', 5 * 1024 + 1)) })),
        };
        foreach (var body in bodies)
            AssertError(await Send("POST", Projects, State.AdminTokenValue, body), HttpStatusCode.BadRequest, 8000000);
        AssertError(await Send("POST", Projects, State.AdminTokenValue, "{not json"), HttpStatusCode.BadRequest, 6007);
        Assert.Empty(State.PagesProjects);
    }

    [Fact]
    public async Task Patch_changes_only_the_named_variables_and_never_returns_secret_values()
    {
        await Create(CreateBody(extra: EnvVarsPatch("production", new JsonObject
        {
            ["KEEP"] = Var("plain_text", "kept"),
            ["OLD"] = Var("secret_text", "old-secret"),
        })));
        var reply = await PatchWithoutContentType(ProjectPath(), State.AdminTokenValue, EnvVarsPatch("production", new JsonObject
        {
            ["API_KEY"] = Var("secret_text", SecretValue),
            ["OLD"] = null,
            ["NEVER_EXISTED"] = null,
        }));
        AssertOk(reply);
        var envVars = reply.Result!["deployment_configs"]!["production"]!["env_vars"]!.AsObject();
        Assert.Equal(["API_KEY", "KEEP"], envVars.Select(p => p.Key));
        Assert.Equal("secret_text", envVars["API_KEY"]!["type"]!.GetValue<string>());
        Assert.Equal("", envVars["API_KEY"]!["value"]!.GetValue<string>());
        Assert.Equal("kept", envVars["KEEP"]!["value"]!.GetValue<string>());
        Assert.DoesNotContain(SecretValue, reply.Json.ToJsonString());
        Assert.Equal(("secret_text", SecretValue), State.PagesEnvVarOf("site", "production", "API_KEY"));
        Assert.Empty(State.PagesEnvVarNames("site", "preview"));

        var get = await Send("GET", ProjectPath(), State.AdminTokenValue);
        Assert.DoesNotContain(SecretValue, get.Json.ToJsonString());
        Assert.Null(get.Result!["deployment_configs"]!["preview"]!["env_vars"]);

        // A type defaults to plain_text; a second PATCH replaces the value.
        AssertOk(await Send("PATCH", ProjectPath(), State.AdminTokenValue, EnvVarsPatch("preview", new JsonObject { ["MODE"] = new JsonObject { ["value"] = "beta" } })));
        Assert.Equal(("plain_text", "beta"), State.PagesEnvVarOf("site", "preview", "MODE"));
        AssertOk(await Send("PATCH", ProjectPath(), State.AdminTokenValue, EnvVarsPatch("production", new JsonObject { ["API_KEY"] = Var("secret_text", "rotated") })));
        Assert.Equal(("secret_text", "rotated"), State.PagesEnvVarOf("site", "production", "API_KEY"));
        Assert.Equal(["API_KEY", "KEEP"], State.PagesEnvVarNames("site", "production"));
    }

    [Fact]
    public async Task Patch_merges_settings_build_config_and_source()
    {
        await Create(CreateBody(extra: new JsonObject
        {
            ["source"] = new JsonObject { ["type"] = "gitlab", ["config"] = new JsonObject { ["owner"] = "o", ["repo_name"] = "r" } },
            ["build_config"] = new JsonObject { ["build_command"] = "make", ["destination_dir"] = "out" },
            ["deployment_configs"] = new JsonObject { ["production"] = new JsonObject { ["compatibility_date"] = "2024-01-01" } },
        }));
        var reply = await Send("PATCH", ProjectPath(), State.AdminTokenValue, new JsonObject
        {
            ["production_branch"] = "release",
            ["source"] = new JsonObject { ["config"] = new JsonObject { ["repo_name"] = "r2" } },
            ["build_config"] = new JsonObject { ["build_command"] = "make site" },
            ["deployment_configs"] = new JsonObject { ["production"] = new JsonObject { ["wrangler_config_hash"] = "abc" } },
        });
        AssertOk(reply);
        var project = reply.Result!;
        Assert.Equal("release", project["production_branch"]!.GetValue<string>());
        Assert.Equal("gitlab", project["source"]!["type"]!.GetValue<string>());
        Assert.Equal("o", project["source"]!["config"]!["owner"]!.GetValue<string>());
        Assert.Equal("r2", project["source"]!["config"]!["repo_name"]!.GetValue<string>());
        Assert.Equal("make site", project["build_config"]!["build_command"]!.GetValue<string>());
        Assert.Equal("out", project["build_config"]!["destination_dir"]!.GetValue<string>());
        Assert.Equal("2024-01-01", project["deployment_configs"]!["production"]!["compatibility_date"]!.GetValue<string>());
        Assert.Equal("abc", project["deployment_configs"]!["production"]!["wrangler_config_hash"]!.GetValue<string>());

        AssertError(await Send("PATCH", ProjectPath(), State.AdminTokenValue, new JsonObject { ["name"] = "other" }), HttpStatusCode.BadRequest, 8000000);
        AssertError(await Send("PATCH", ProjectPath("nope"), State.AdminTokenValue, new JsonObject()), HttpStatusCode.NotFound, 8000007);
    }

    [Fact]
    public async Task An_invalid_patch_changes_nothing()
    {
        await Create(CreateBody());
        var body = EnvVarsPatch("production", new JsonObject { ["GOOD"] = Var("secret_text", "v"), ["BAD-NAME"] = Var("secret_text", "v") });
        AssertError(await Send("PATCH", ProjectPath(), State.AdminTokenValue, body), HttpStatusCode.BadRequest, 8000000);
        Assert.Empty(State.PagesEnvVarNames("site", "production"));
    }

    [Fact]
    public async Task Deployments_are_listed_per_environment_newest_first()
    {
        await Create(CreateBody());
        var production = await SendForm(ProjectPath() + "/deployments", null);
        AssertOk(production);
        Assert.Equal("production", production.Result!["environment"]!.GetValue<string>());
        Assert.Equal("deploy", production.Result!["latest_stage"]!["name"]!.GetValue<string>());
        Assert.Equal("success", production.Result!["latest_stage"]!["status"]!.GetValue<string>());
        var preview = await SendForm(ProjectPath() + "/deployments", "feature-x");
        Assert.Equal("preview", preview.Result!["environment"]!.GetValue<string>());
        var second = await SendForm(ProjectPath() + "/deployments", "main");

        var list = await Send("GET", ProjectPath() + "/deployments?env=production", State.AdminTokenValue);
        AssertOk(list);
        Assert.Equal([second.Result!["id"]!.GetValue<string>(), production.Result!["id"]!.GetValue<string>()],
            list.Result!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        Assert.Equal(2, list.Json["result_info"]!["total_count"]!.GetValue<int>());
        var previews = await Send("GET", ProjectPath() + "/deployments?env=preview", State.AdminTokenValue);
        Assert.Single(previews.Result!.AsArray());
        Assert.Equal(3, (await Send("GET", ProjectPath() + "/deployments", State.AdminTokenValue)).Result!.AsArray().Count);
        AssertError(await Send("GET", ProjectPath() + "/deployments?env=staging", State.AdminTokenValue), HttpStatusCode.BadRequest, 8000000);
        AssertError(await Send("GET", ProjectPath("nope") + "/deployments", State.AdminTokenValue), HttpStatusCode.NotFound, 8000007);

        var project = (await Send("GET", ProjectPath(), State.AdminTokenValue)).Result!;
        Assert.Equal(second.Result!["id"]!.GetValue<string>(), project["canonical_deployment"]!["id"]!.GetValue<string>());
    }

    private Task<Reply> SendForm(string path, string? branch) =>
        SendRaw("POST", path, null, request =>
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", State.AdminTokenValue);
            var form = new MultipartFormDataContent();
            if (branch is not null)
                form.Add(new StringContent(branch), "branch");
            request.Content = form;
        });

    [Fact]
    public async Task Reads_need_Pages_Read_and_changes_Pages_Write()
    {
        State.AddPagesProject("site");
        // ops-dns: DNS Write only. Permission is checked before the project lookup.
        AssertError(await Send("GET", Projects, State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("GET", ProjectPath("nope"), State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("POST", Projects, State.OpsTokenValue, CreateBody("x")), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("PATCH", ProjectPath(), State.OpsTokenValue, new JsonObject()), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("DELETE", ProjectPath(), State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);

        // workers-deploy: Workers Scripts Write, no Pages permission.
        AssertError(await Send("GET", Projects, State.Seed.WorkersTokenValue), HttpStatusCode.Forbidden, 10000);

        // dashboard-deploy (account token): Pages Write, which satisfies Read.
        var writer = State.Seed.DashboardAccountTokenValue;
        AssertOk(await Send("GET", ProjectPath(), writer));
        AssertOk(await Send("PATCH", ProjectPath(), writer, EnvVarsPatch("production", new JsonObject { ["A"] = Var("secret_text", "v") })));

        var other = $"accounts/{new string('b', 32)}/pages/projects";
        AssertError(await Send("GET", other, State.AdminTokenValue), HttpStatusCode.Forbidden, 10000);
    }

    [Fact]
    public async Task Recorded_requests_never_hold_env_var_values()
    {
        await Create(CreateBody(extra: EnvVarsPatch("preview", new JsonObject { ["ON_CREATE"] = Var("secret_text", SecretValue + "-create") })));
        AssertOk(await PatchWithoutContentType(ProjectPath(), State.AdminTokenValue,
            EnvVarsPatch("production", new JsonObject { ["API_KEY"] = Var("secret_text", SecretValue) })));
        // Malformed or unroutable bodies on Pages paths are redacted too.
        await Send("PATCH", ProjectPath(), State.AdminTokenValue, "{\"deployment_configs\":{\"production\":{\"env_vars\":{\"A\":{\"value\":\"" + SecretValue + "\"");
        await Send("PATCH", ProjectPath("nope"), State.AdminTokenValue, EnvVarsPatch("production", new JsonObject { ["A"] = Var("secret_text", SecretValue) }));

        var pagesRequests = Cf.Requests.Where(r => r.Path.Contains("/pages/")).ToList();
        Assert.Equal(4, pagesRequests.Count);
        foreach (var request in Cf.Requests)
            Assert.DoesNotContain(SecretValue, request.Body);
        Assert.Contains("API_KEY", pagesRequests[1].Body);
        Assert.Contains("[redacted]", pagesRequests[1].Body);
        var adminLog = await Http.GetStringAsync(new Uri(Cf.BaseUri, "/__emulator/requests"));
        Assert.DoesNotContain(SecretValue, adminLog);
        Assert.Equal(("secret_text", SecretValue), State.PagesEnvVarOf("site", "production", "API_KEY"));
    }

    [Fact]
    public async Task Reset_drops_projects()
    {
        State.AddPagesProject("site");
        Assert.Throws<InvalidOperationException>(() => State.AddPagesProject("site"));
        State.Reset();
        Assert.Empty(State.PagesProjects);
        Assert.Throws<ArgumentException>(() => State.PagesEnvVarNames("site", "production"));
    }
}
