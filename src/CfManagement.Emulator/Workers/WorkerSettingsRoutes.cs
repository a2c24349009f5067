using System.Text.Json;
using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;
using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// A script's two settings endpoints under /accounts/{account_id}/workers/scripts/{script_name}. Permissions as
/// <see cref="WorkerScriptRoutes"/>.
/// Errors: unknown script 404 10007; no versions 404 10222; /script-settings body not JSON 400 6007 (any Content-Type)
/// or a field of the wrong type 400 10021; /settings body not multipart 400 10006, no "settings" part or an invalid
/// field or binding 400 10021; a /settings PATCH while the latest version is not the one deployed at 100% 400 10214
/// ("Script edit failed. You attempted to deploy the latest version with modified settings, ...").
/// Routes:
/// GET script-settings → {logpush, tail_consumers, observability, tags};
/// PATCH script-settings {logpush?, tail_consumers?, observability?, tags?} applies at once, no new version → the same;
/// GET settings → {bindings (secret_text as {name, type}), compatibility_date, compatibility_flags, limits, placement,
///   usage_model, annotations, logpush, tail_consumers, observability, tags} of the latest version and the script;
/// PATCH settings (multipart, one JSON part "settings" with any of bindings, compatibility_date, compatibility_flags,
///   limits, placement, usage_model, annotations, logpush, tail_consumers, observability, tags): a new version from the
///   latest with the given fields replaced (bindings replace the list; a secret_text sent as {name, type} without text,
///   as GET returns it, and inherit bindings keep the latest version's binding), annotations not inherited
///   ("workers/triggered_by": "settings"), deployed at 100% → the new settings.
/// </summary>
internal static class WorkerSettingsRoutes
{
    private const string ScriptSettings = WorkerScriptRoutes.Script + "/script-settings";
    private const string Settings = WorkerScriptRoutes.Script + "/settings";

    public static void Register(RouteTable routes)
    {
        routes.Add("GET", ScriptSettings, GetScriptSettings);
        routes.Add("PATCH", ScriptSettings, PatchScriptSettings);
        routes.Add("GET", Settings, GetSettings);
        routes.Add("PATCH", Settings, PatchSettings);
    }

    private static ApiResponse GetScriptSettings(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        return ApiResponse.Ok(WorkerJson.ScriptSettings(WorkerScriptRoutes.Find(context)));
    }

    private static ApiResponse PatchScriptSettings(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        WorkerScriptRoutes.Apply(script, WorkerScriptSettings.Parse(context.ReadJsonObject()));
        return ApiResponse.Ok(WorkerJson.ScriptSettings(script));
    }

    private static ApiResponse GetSettings(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: false);
        var script = WorkerScriptRoutes.Find(context);
        return ApiResponse.Ok(WorkerJson.Settings(script, WorkerGates.RequireLatest(script)));
    }

    private static ApiResponse PatchSettings(ApiContext context)
    {
        WorkerScriptRoutes.Require(context, write: true);
        var script = WorkerScriptRoutes.Find(context);
        var latest = WorkerGates.RequireLatest(script);
        WorkerGates.RequireLatestDeployedForSettings(script);

        var part = WorkerUploadParser.ReadParts(context).FirstOrDefault(p => p.Name == "settings")
            ?? throw WorkerSecretParser.Invalid("the request has no settings part");
        var settings = WorkerUploadParser.ParseJsonObject(part.Content, "settings");
        var scriptSettings = WorkerScriptSettings.Parse(settings);

        var bindings = settings["bindings"] is null ? latest.Bindings.ToList() : Bindings(settings["bindings"]!, latest);
        var author = WorkerAuthor.Of(context);
        var version = WorkerVersionBuilder.WithBindings(latest, script, bindings,
            WorkerAnnotations.Parse(settings["annotations"], "settings"), author) with
        {
            CompatibilityDate = settings.ContainsKey("compatibility_date") ? WorkerUploadParser.CompatibilityDate(settings) : latest.CompatibilityDate,
            CompatibilityFlags = settings.ContainsKey("compatibility_flags") ? WorkerUploadParser.StringList(settings, "compatibility_flags") : latest.CompatibilityFlags,
            UsageModel = WorkerUploadParser.UsageModel(settings) ?? latest.UsageModel,
            Limits = WorkerUploadParser.Object(settings, "limits") ?? latest.Limits,
            Placement = WorkerUploadParser.Object(settings, "placement") ?? latest.Placement,
        };
        WorkerScriptRoutes.Apply(script, scriptSettings);
        script.Publish(version, author);
        return ApiResponse.Ok(WorkerJson.Settings(script, version));
    }

    /// <summary>The new binding list: validated, with inherit and text-less secret_text entries taken from the latest version.</summary>
    private static List<JsonObject> Bindings(JsonNode bindings, WorkerVersion latest)
    {
        if (bindings is JsonArray array)
        {
            foreach (var binding in array.OfType<JsonObject>())
            {
                if (binding["type"]?.GetValueKind() == JsonValueKind.String && binding["type"]!.GetValue<string>() == WorkerBindings.SecretText
                    && binding["text"] is null)
                    binding["type"] = WorkerBindings.Inherit;
            }
        }
        var result = new List<JsonObject>();
        foreach (var binding in WorkerBindings.ValidateList(bindings))
        {
            if (WorkerBindings.TypeOf(binding) != WorkerBindings.Inherit)
            {
                result.Add(binding);
                continue;
            }
            var name = WorkerBindings.NameOf(binding);
            var oldName = binding["old_name"]?.GetValue<string>() ?? name;
            var kept = latest.Bindings.FirstOrDefault(b => WorkerBindings.NameOf(b) == oldName)
                ?? throw ApiException.BadRequest(ErrorCodes.WorkerInvalidBinding, $"binding \"{name}\": the latest version has no binding '{oldName}' to keep");
            var copy = (JsonObject)kept.DeepClone();
            copy["name"] = name;
            result.Add(copy);
        }
        return result;
    }
}
