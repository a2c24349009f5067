using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// The API's refusals of changes that would deploy the latest version while it is not the one deployed at 100%:
/// a secret edit (PUT/DELETE /secrets, PATCH /secrets-bulk) → 400 10215, except that secrets-bulk during a gradual
/// deployment that includes the latest version answers 10214 (API-FACTS: 10214 also comes back from secrets-bulk);
/// a /settings PATCH → 400 10214 with the text wrangler's tests quote.
/// </summary>
internal static class WorkerGates
{
    public const string SecretEditMessage =
        "Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed. " +
        "Please ensure that the latest version of your Worker is fully deployed (wrangler versions deploy) before modifying secrets. " +
        "Alternatively, you can use the Cloudflare dashboard to modify secrets and deploy the version.";

    public const string SettingsEditMessage =
        "Script edit failed. You attempted to deploy the latest version with modified settings, but the latest version isn't currently deployed. " +
        "Either upload a new version to edit the version settings, or use the script-level settings API to modify the \"logpush\" and \"tail_consumers\" settings.";

    public static void RequireLatestDeployedForSecrets(WorkerScript script, bool bulk)
    {
        if (script.LatestIsFullyDeployed)
            return;
        if (bulk && script.LatestIsPartlyDeployed)
            throw ApiException.BadRequest(ErrorCodes.WorkerSettingsLatestNotDeployed, SettingsEditMessage);
        throw ApiException.BadRequest(ErrorCodes.WorkerSecretLatestNotDeployed, SecretEditMessage);
    }

    public static void RequireLatestDeployedForSettings(WorkerScript script)
    {
        if (!script.LatestIsFullyDeployed)
            throw ApiException.BadRequest(ErrorCodes.WorkerSettingsLatestNotDeployed, SettingsEditMessage);
    }

    /// <summary>The latest version, or 404 10222 for a Worker without versions.</summary>
    public static WorkerVersion RequireLatest(WorkerScript script) =>
        script.Latest ?? throw new ApiException(404, ErrorCodes.WorkerNoVersions, "The Worker has no versions. Please upload a version first.");
}
