using System.Text.Json.Nodes;
using CfManagement.Workers;
using CfManagement.Workers.Config;
using CfManagement.Workers.Upload;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>wrangler.toml / .json / .jsonc into one environment's definition, with wrangler's inheritance rules.</summary>
public class WranglerConfigReaderTests
{
    /// <summary>Every binding kind the reader maps, in TOML.</summary>
    public const string EveryKindToml = """
        name = "shop"
        main = "src/index.js"
        compatibility_date = "2025-01-01"
        compatibility_flags = ["nodejs_compat"]
        logpush = true
        routes = ["shop.example.com/*"]

        [observability]
        enabled = true
        head_sampling_rate = 0.5

        [vars]
        API_URL = "https://api.example.com"
        LIMITS = { max = 5, strict = true }

        [[kv_namespaces]]
        binding = "CACHE"
        id = "0123456789abcdef0123456789abcdef"
        preview_id = "ffffffffffffffffffffffffffffffff"

        [[d1_databases]]
        binding = "DB"
        database_name = "shop-db"
        database_id = "3f2a1c9e-1111-4000-8000-000000000001"

        [[r2_buckets]]
        binding = "ASSETS"
        bucket_name = "shop-assets"
        jurisdiction = "eu"

        [[services]]
        binding = "AUTH"
        service = "auth-worker"
        entrypoint = "AuthEntrypoint"

        [[durable_objects.bindings]]
        name = "CART"
        class_name = "Cart"
        script_name = "cart-worker"

        [[queues.producers]]
        binding = "ORDERS"
        queue = "orders"

        [[secrets_store_secrets]]
        binding = "STRIPE_KEY"
        store_id = "aaaabbbbccccddddeeeeffff00001111"
        secret_name = "stripe-key"

        [[analytics_engine_datasets]]
        binding = "EVENTS"
        dataset = "shop_events"

        [[tail_consumers]]
        service = "shop-tail"

        [env.staging]
        compatibility_flags = []

        [[env.staging.kv_namespaces]]
        binding = "CACHE"
        id = "fedcba9876543210fedcba9876543210"

        [env.staging.vars]
        API_URL = "https://staging.example.com"

        [env.production]
        name = "shop-live"
        main = "src/prod.js"
        """;

    private static WorkerDefinition ReadToml(TempProject project, string toml, string? env = null) =>
        WranglerConfigReader.Read(project.Write("wrangler.toml", toml), env);

    private static string Json(WorkerBinding b) =>
        new JsonObject(b.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, f.Value?.DeepClone()))).ToJsonString();

    [Fact]
    public void Toml_maps_every_binding_kind_to_its_api_shape()
    {
        using var project = new TempProject();
        var d = ReadToml(project, EveryKindToml);
        Assert.Equal("shop", d.Name);
        Assert.Equal(project.PathOf("src/index.js"), d.Main);
        Assert.Equal("2025-01-01", d.CompatibilityDate);
        Assert.Equal(new[] { "nodejs_compat" }, d.CompatibilityFlags);
        Assert.True(d.Logpush);
        Assert.Equal("""{"enabled":true,"head_sampling_rate":0.5}""", d.Observability!.ToJsonString());
        Assert.Equal(new[] { "routes" }, d.IgnoredKeys);
        var byName = d.Bindings.ToDictionary(b => b.Name);
        Assert.Equal(("plain_text", """{"text":"https://api.example.com"}"""), (byName["API_URL"].Type, Json(byName["API_URL"])));
        Assert.Equal(("json", """{"json":{"max":5,"strict":true}}"""), (byName["LIMITS"].Type, Json(byName["LIMITS"])));
        Assert.Equal(("kv_namespace", """{"namespace_id":"0123456789abcdef0123456789abcdef"}"""), (byName["CACHE"].Type, Json(byName["CACHE"])));
        Assert.Equal(("d1", """{"id":"3f2a1c9e-1111-4000-8000-000000000001"}"""), (byName["DB"].Type, Json(byName["DB"])));
        Assert.Equal(("r2_bucket", """{"bucket_name":"shop-assets","jurisdiction":"eu"}"""), (byName["ASSETS"].Type, Json(byName["ASSETS"])));
        Assert.Equal(("service", """{"service":"auth-worker","entrypoint":"AuthEntrypoint"}"""), (byName["AUTH"].Type, Json(byName["AUTH"])));
        Assert.Equal(("durable_object_namespace", """{"class_name":"Cart","script_name":"cart-worker"}"""), (byName["CART"].Type, Json(byName["CART"])));
        Assert.Equal(("queue", """{"queue_name":"orders"}"""), (byName["ORDERS"].Type, Json(byName["ORDERS"])));
        Assert.Equal(("secrets_store_secret", """{"store_id":"aaaabbbbccccddddeeeeffff00001111","secret_name":"stripe-key"}"""), (byName["STRIPE_KEY"].Type, Json(byName["STRIPE_KEY"])));
        Assert.Equal(("analytics_engine", """{"dataset":"shop_events"}"""), (byName["EVENTS"].Type, Json(byName["EVENTS"])));
        Assert.Equal(10, d.Bindings.Count);
        Assert.Equal("shop-tail", Assert.Single(d.TailConsumers).Service);
    }

    [Fact]
    public void An_environment_inherits_top_level_settings_but_not_vars_bindings_or_tail_consumers()
    {
        using var project = new TempProject();
        var d = ReadToml(project, EveryKindToml, "staging");
        Assert.Equal("shop-staging", d.Name);                       // wrangler appends -<env> when the env has no name
        Assert.Equal(project.PathOf("src/index.js"), d.Main);        // inherited
        Assert.Equal("2025-01-01", d.CompatibilityDate);             // inherited
        Assert.Empty(d.CompatibilityFlags);                          // the env's own (empty) value wins
        Assert.True(d.Logpush);                                      // inherited
        Assert.NotNull(d.Observability);                             // inherited
        Assert.Equal(new[] { "API_URL", "CACHE" }, d.Bindings.Select(b => b.Name).OrderBy(n => n));
        Assert.Contains("fedcba98", Json(d.Bindings.Single(b => b.Name == "CACHE")));
        Assert.Empty(d.TailConsumers);                               // not inherited
        Assert.Equal("staging", d.Environment);
    }

    [Fact]
    public void An_environment_with_its_own_name_and_main_uses_them_and_has_no_bindings()
    {
        using var project = new TempProject();
        var d = ReadToml(project, EveryKindToml, "production");
        Assert.Equal("shop-live", d.Name);
        Assert.Equal(project.PathOf("src/prod.js"), d.Main);
        Assert.Empty(d.Bindings);
    }

    [Fact]
    public void Json_and_jsonc_with_comments_and_trailing_commas_read_like_toml()
    {
        using var project = new TempProject();
        const string jsonc = """
            // wrangler.jsonc
            {
              "name": "shop", /* the script */
              "main": "src/index.js",
              "compatibility_date": "2025-01-01",
              "vars": { "API_URL": "https://api.example.com", "N": 3, },
              "kv_namespaces": [ { "binding": "CACHE", "id": "0123456789abcdef0123456789abcdef" }, ],
              "env": { "staging": { "vars": { "API_URL": "https://staging.example.com" } } },
            }
            """;
        foreach (var file in new[] { "wrangler.jsonc", "wrangler.json" })
        {
            var d = WranglerConfigReader.Read(project.Write(file, jsonc), null);
            Assert.Equal("shop", d.Name);
            Assert.Equal(new[] { "API_URL:plain_text", "N:json", "CACHE:kv_namespace" }, d.Bindings.Select(b => $"{b.Name}:{b.Type}"));
            var staging = WranglerConfigReader.Read(project.PathOf(file), "staging");
            Assert.Equal("shop-staging", staging.Name);
            Assert.Equal(new[] { "API_URL" }, staging.Bindings.Select(b => b.Name));
        }
    }

    [Theory]
    [InlineData("wrangler.toml", "name = \"x\"\nmain = \"a.js\"\ncompatibility_date = \n", WorkerInputFault.ConfigSyntax, 3)]
    [InlineData("wrangler.json", "{\n  \"name\": \"x\",\n  \"main\": }\n", WorkerInputFault.ConfigSyntax, 3)]
    [InlineData("wrangler.toml", "name = \"x\"\nassets = { directory = \"./public\" }\n", WorkerInputFault.ConfigUnsupported, null)]
    [InlineData("wrangler.toml", "name = \"x\"\nnmae = \"y\"\n", WorkerInputFault.ConfigUnsupported, null)]
    [InlineData("wrangler.toml", "name = \"x\"\n[[kv_namespaces]]\nbinding = \"KV\"\n", WorkerInputFault.Binding, null)]
    [InlineData("wrangler.toml", "name = \"x\"\n[[kv_namespaces]]\nbinding = \"KV\"\nid = \"a\"\nnamespace = \"b\"\n", WorkerInputFault.ConfigValue, null)]
    [InlineData("wrangler.toml", "name = 5\n", WorkerInputFault.ConfigValue, null)]
    [InlineData("wrangler.toml", "name = \"x\"\nkv_namespaces = { binding = \"KV\" }\n", WorkerInputFault.ConfigValue, null)]
    [InlineData("wrangler.yaml", "name: x\n", WorkerInputFault.ConfigUnsupported, null)]
    public void Bad_configs_are_refused_with_their_kind_and_line(string file, string text, WorkerInputFault fault, int? line)
    {
        using var project = new TempProject();
        var ex = Assert.Throws<WorkerInputException>(() => WranglerConfigReader.Read(project.Write(file, text), null));
        Assert.Equal(fault, ex.Fault);
        Assert.Equal(line, ex.Line);
        Assert.Equal("Config", ex.Source);
    }

    [Fact]
    public void An_unknown_environment_is_refused_naming_the_ones_that_exist()
    {
        using var project = new TempProject();
        var ex = Assert.Throws<WorkerInputException>(() => ReadToml(project, EveryKindToml, "prod"));
        Assert.Equal(WorkerInputFault.EnvironmentNotFound, ex.Fault);
        Assert.Contains("staging, production", ex.Message);
        Assert.Equal("Environment", ex.Source);
    }

    [Fact]
    public void A_missing_config_is_refused()
    {
        var ex = Assert.Throws<WorkerInputException>(() => WranglerConfigReader.Read("/nonexistent/wrangler.toml", null));
        Assert.Equal(WorkerInputFault.ConfigNotFound, ex.Fault);
    }

    [Fact]
    public void Environment_names_are_listed_for_completion()
    {
        using var project = new TempProject();
        Assert.Equal(new[] { "staging", "production" }, WranglerConfigReader.EnvironmentNames(project.Write("wrangler.toml", EveryKindToml)));
    }
}
