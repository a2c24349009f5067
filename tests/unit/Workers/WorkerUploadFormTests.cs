using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Workers;
using CfManagement.Workers.Config;
using CfManagement.Workers.Upload;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>The multipart body: parsed back by ASP.NET Core's reader, checked against the API schema, and byte-identical on a repeat.</summary>
public class WorkerUploadFormTests
{
    /// <summary>
    /// Required and allowed fields per binding type, copied from cf-trimmed.json (components.schemas.workers_binding-kind-*;
    /// queue's delivery_delay is wrangler's, not in that schema, and the fixture does not use it).
    /// </summary>
    private static readonly Dictionary<string, (string[] Required, string[] Allowed)> Schema = new()
    {
        ["plain_text"] = (["name", "type", "text"], ["name", "type", "text"]),
        ["json"] = (["name", "type", "json"], ["name", "type", "json"]),
        ["secret_text"] = (["name", "type", "text"], ["name", "type", "text"]),
        ["kv_namespace"] = (["name", "type", "namespace_id"], ["name", "type", "namespace_id"]),
        ["d1"] = (["name", "type"], ["name", "type", "database_id", "id"]),
        ["r2_bucket"] = (["name", "type", "bucket_name"], ["name", "type", "bucket_name", "jurisdiction"]),
        ["service"] = (["name", "type", "service"], ["name", "type", "service", "environment", "entrypoint"]),
        ["durable_object_namespace"] = (["name", "type"], ["name", "type", "class_name", "script_name", "environment", "namespace_id", "dispatch_namespace"]),
        ["secrets_store_secret"] = (["name", "type", "store_id", "secret_name"], ["name", "type", "store_id", "secret_name"]),
        ["queue"] = (["name", "type", "queue_name"], ["name", "type", "queue_name"]),
        ["analytics_engine"] = (["name", "type", "dataset"], ["name", "type", "dataset"]),
        ["inherit"] = (["name", "type"], ["name", "type", "old_name", "version_id"]),
    };

    /// <summary>metadata's properties in cf-trimmed.json (workers_script_upload).</summary>
    private static readonly string[] MetadataProperties =
        ["annotations", "bindings", "body_part", "compatibility_date", "compatibility_flags", "keep_assets", "keep_bindings", "logpush",
         "main_module", "migrations", "observability", "placement", "tags", "tail_consumers", "usage_model", "version_tags"];

    private static readonly WorkerUploadOptions Options = new() { Today = new DateTime(2026, 1, 1), Message = "deploy 1", VersionTag = "abc123" };

    private static WorkerDefinition EveryKind(TempProject p)
    {
        p.Write("src/index.js", "import { h } from './helper.js';\nexport default { fetch() { return new Response(h); } };\n");
        p.Write("src/helper.js", "export const h = 'hi';\n");
        var d = WranglerConfigReader.Read(p.Write("wrangler.toml", WranglerConfigReaderTests.EveryKindToml), null);
        d.Bindings.Add(WorkerParameterReader.Var("API_KEY", Secure("s3cr3t-value"), "-Var API_KEY"));
        d.Bindings.Add(WorkerParameterReader.Binding(new Dictionary<string, object?> { ["type"] = "inherit", ["name"] = "OLD" }, "-Binding[0]"));
        d.Tags.Add("prod");
        return d;
    }

    private static SecureString Secure(string s)
    {
        var secure = new SecureString();
        foreach (var c in s) secure.AppendChar(c);
        return secure;
    }

    private static async Task<List<(string Name, string? FileName, string? ContentType, byte[] Body)>> ParseAsync(WorkerUploadForm form)
    {
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(form.ContentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(form.Body));
        var parts = new List<(string, string?, string?, byte[])>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer);
            parts.Add((HeaderUtilities.RemoveQuotes(disposition.Name).Value!, HeaderUtilities.RemoveQuotes(disposition.FileName).Value, section.ContentType, buffer.ToArray()));
        }
        return parts;
    }

    [Fact]
    public async Task The_body_parses_back_into_metadata_and_one_part_per_module_matching_the_schema()
    {
        using var p = new TempProject();
        var upload = WorkerUploadPlanner.Plan(EveryKind(p), Options);
        var form = WorkerUploadForm.Build(upload);
        var parts = await ParseAsync(form);

        Assert.Equal(new[] { "metadata", "index.js", "helper.js" }, parts.Select(x => x.Name));
        Assert.Null(parts[0].ContentType);
        Assert.Equal(("index.js", "application/javascript+module"), (parts[1].FileName, parts[1].ContentType));
        Assert.Equal(File.ReadAllBytes(p.PathOf("src/helper.js")), parts[2].Body);

        var metadata = JsonNode.Parse(parts[0].Body)!.AsObject();
        Assert.Empty(metadata.Select(m => m.Key).Except(MetadataProperties));
        // wrangler's order of properties
        Assert.Equal(new[] { "main_module", "bindings", "compatibility_date", "compatibility_flags", "keep_bindings", "logpush", "tail_consumers", "annotations", "observability", "tags" },
            metadata.Select(m => m.Key));
        Assert.Equal("index.js", (string?)metadata["main_module"]);
        Assert.Equal("""["secret_text","secret_key"]""", metadata["keep_bindings"]!.ToJsonString());
        Assert.Equal("""{"workers/message":"deploy 1","workers/tag":"abc123"}""", metadata["annotations"]!.ToJsonString());
        Assert.Equal("""[{"service":"shop-tail"}]""", metadata["tail_consumers"]!.ToJsonString());
        Assert.Equal("""["prod"]""", metadata["tags"]!.ToJsonString());

        var bindings = metadata["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
        foreach (var binding in bindings)
        {
            var type = (string)binding["type"]!;
            Assert.True(Schema.TryGetValue(type, out var schema), $"type {type} is not in the schema");
            var keys = binding.Select(k => k.Key).ToList();
            Assert.Empty(schema.Required.Except(keys));
            Assert.Empty(keys.Except(schema.Allowed));
        }
        // wrangler's order of types: inherit, plain_text, json, secret_text, kv, durable objects, queue, r2, d1, secrets store, service, analytics engine
        Assert.Equal(new[] { "OLD", "API_URL", "LIMITS", "API_KEY", "CACHE", "CART", "ORDERS", "ASSETS", "DB", "STRIPE_KEY", "AUTH", "EVENTS" },
            bindings.Select(b => (string)b["name"]!));
        Assert.Equal("s3cr3t-value", (string?)bindings.Single(b => (string)b["name"]! == "API_KEY")["text"]);
    }

    [Fact]
    public void The_same_input_gives_byte_identical_bodies_and_a_change_gives_another_boundary()
    {
        using var p = new TempProject();
        var first = WorkerUploadForm.Build(WorkerUploadPlanner.Plan(EveryKind(p), Options));
        var second = WorkerUploadForm.Build(WorkerUploadPlanner.Plan(EveryKind(p), Options));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.ContentType, second.ContentType);

        var definition = EveryKind(p);
        p.Write("src/helper.js", "export const h = 'changed';\n");
        var changed = WorkerUploadForm.Build(WorkerUploadPlanner.Plan(definition, Options));
        Assert.NotEqual(first.Boundary, changed.Boundary);
    }

    [Fact]
    public void Hashtable_vars_give_the_same_bytes_whatever_their_insertion_order()
    {
        using var p = new TempProject();
        var main = p.Write("index.js", "export default {};");
        WorkerUploadForm Build(params (string Key, object Value)[] vars)
        {
            var d = new WorkerDefinition { Name = "w", Main = main, CompatibilityDate = "2025-01-01" };
            var table = new System.Collections.Hashtable();
            foreach (var (key, value) in vars) table[key] = value;
            d.Bindings.Add(WorkerParameterReader.Var("CONFIG", table, "-Var CONFIG"));
            return WorkerUploadForm.Build(WorkerUploadPlanner.Plan(d, Options));
        }
        var a = Build(("b", 2), ("a", 1), ("c", "x"));
        var b = Build(("c", "x"), ("a", 1), ("b", 2));
        Assert.Equal(a.Body, b.Body);
        Assert.Contains("\"json\":{\"a\":1,\"b\":2,\"c\":\"x\"}", Encoding.UTF8.GetString(a.Body));
    }

    [Fact]
    public async Task ReplaceSecrets_sends_no_keep_bindings()
    {
        using var p = new TempProject();
        var upload = WorkerUploadPlanner.Plan(EveryKind(p), new WorkerUploadOptions { Today = Options.Today, ReplaceSecrets = true });
        var metadata = JsonNode.Parse((await ParseAsync(WorkerUploadForm.Build(upload)))[0].Body)!.AsObject();
        Assert.False(metadata.ContainsKey("keep_bindings"));
        Assert.False(metadata.ContainsKey("annotations"));
    }

    [Fact]
    public void The_boundary_never_occurs_in_a_part_and_Clear_wipes_the_body()
    {
        using var p = new TempProject();
        var form = WorkerUploadForm.Build(WorkerUploadPlanner.Plan(EveryKind(p), Options));
        var text = Encoding.UTF8.GetString(form.Body);
        // the boundary occurs exactly as delimiters: one per part (3) plus the closing one
        Assert.Equal(4, text.Split("--" + form.Boundary).Length - 1);
        Assert.EndsWith("--" + form.Boundary + "--\r\n", text);
        form.Clear();
        Assert.All(form.Body, b => Assert.Equal(0, b));
    }
}
