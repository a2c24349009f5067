using System.Text.Json.Nodes;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// Turns an upload into a version of a script, the way the API does:
/// <list type="bullet">
/// <item>inherit bindings copy the binding named old_name (default: the same name) from version_id (default, or
/// "latest": the latest version). One that names nothing is dropped, or, under <c>bindings_inherit=strict</c>,
/// refused with 400 10057 "inherit binding 'NAME' is invalid".</item>
/// <item>keep_bindings lists binding types the latest version's bindings of which survive when the upload does not
/// define the same name. Without "secret_text" there, an upload wipes the script's secrets; plain_text and json are
/// likewise kept only when listed.</item>
/// </list>
/// Also: the next changes of an existing version (<see cref="WithBindings"/>), for secret edits, merge-patches and
/// /settings, which copy the code and everything else.
/// </summary>
internal static class WorkerVersionBuilder
{
    public static WorkerVersion FromUpload(WorkerUpload upload, WorkerScript script, bool strictInherit, string triggeredBy, WorkerAuthor author)
    {
        var previous = script.Latest;
        var bindings = new List<JsonObject>();
        foreach (var binding in upload.Bindings)
        {
            if (WorkerBindings.TypeOf(binding) != WorkerBindings.Inherit)
            {
                bindings.Add(binding);
                continue;
            }
            var name = WorkerBindings.NameOf(binding);
            if (Inherited(binding, script) is { } inherited)
                bindings.Add(inherited);
            else if (strictInherit)
                throw ApiException.BadRequest(ErrorCodes.WorkerInvalidInherit, $"inherit binding '{name}' is invalid");
        }
        if (previous is not null)
        {
            var defined = bindings.Select(WorkerBindings.NameOf).ToHashSet(StringComparer.Ordinal);
            bindings.AddRange(previous.Bindings
                .Where(b => upload.KeepBindings.Contains(WorkerBindings.TypeOf(b)) && !defined.Contains(WorkerBindings.NameOf(b)))
                .Select(b => (JsonObject)b.DeepClone()));
        }

        var main = upload.Modules.First(m => m.Name == upload.MainModule);
        return new WorkerVersion
        {
            Id = Guid.NewGuid().ToString(),
            Number = script.NextVersionNumber,
            CreatedOn = author.Now,
            Source = author.Source,
            AuthorEmail = author.Email,
            AuthorId = author.UserId,
            Modules = upload.Modules,
            MainModule = upload.MainModule,
            HasModules = upload.HasModules,
            Handlers = WorkerHandlers.Find(main, upload.HasModules),
            Exports = WorkerExports.Find(main, upload.HasModules),
            Bindings = bindings,
            CompatibilityDate = upload.CompatibilityDate,
            CompatibilityFlags = upload.CompatibilityFlags,
            UsageModel = upload.UsageModel ?? "standard",
            Limits = upload.Limits,
            Placement = upload.Placement,
            Annotations = WorkerAnnotations.Parse(upload.AnnotationsJson, triggeredBy),
        };
    }

    /// <summary>A copy of <paramref name="source"/> as the script's next version, with other bindings and annotations.</summary>
    public static WorkerVersion WithBindings(WorkerVersion source, WorkerScript script, IReadOnlyList<JsonObject> bindings,
        IReadOnlyDictionary<string, string> annotations, WorkerAuthor author) => source with
    {
        Id = Guid.NewGuid().ToString(),
        Number = script.NextVersionNumber,
        CreatedOn = author.Now,
        Source = author.Source,
        AuthorEmail = author.Email,
        AuthorId = author.UserId,
        Bindings = bindings.Select(b => (JsonObject)b.DeepClone()).ToList(),
        Annotations = annotations,
        Etag = Ids.NewHexId() + Ids.NewHexId(),
    };

    /// <summary>The source version's bindings with secret changes applied: text adds or replaces, null removes.</summary>
    public static List<JsonObject> ApplySecrets(WorkerVersion source, IReadOnlyDictionary<string, string?> changes)
    {
        var bindings = source.Bindings.Where(b => !changes.ContainsKey(WorkerBindings.NameOf(b)))
            .Select(b => (JsonObject)b.DeepClone()).ToList();
        foreach (var (name, text) in changes)
        {
            if (text is not null)
                bindings.Add(new JsonObject { ["name"] = name, ["type"] = WorkerBindings.SecretText, ["text"] = text });
        }
        return bindings;
    }

    private static JsonObject? Inherited(JsonObject binding, WorkerScript script)
    {
        var name = WorkerBindings.NameOf(binding);
        var versionId = binding["version_id"]?.GetValue<string>();
        var from = versionId is null or "latest" ? script.Latest : script.FindVersion(versionId);
        var oldName = binding["old_name"]?.GetValue<string>() ?? name;
        var found = from?.Bindings.FirstOrDefault(b => WorkerBindings.NameOf(b) == oldName);
        if (found is null)
            return null;
        var copy = (JsonObject)found.DeepClone();
        copy["name"] = name;
        return copy;
    }
}
