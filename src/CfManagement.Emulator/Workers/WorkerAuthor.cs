using CfManagement.Emulator.Routing;

namespace CfManagement.Emulator.Workers;

/// <summary>Who made a version or deployment, and when: the caller's user (none for account tokens) and the client kind.</summary>
internal sealed record WorkerAuthor(string Source, string? Email, string? UserId, DateTimeOffset Now)
{
    /// <summary>wrangler announces itself in User-Agent ("wrangler/4.x"); anything else is "api".</summary>
    public static WorkerAuthor Of(ApiContext context)
    {
        var agent = context.Http.Request.Headers.UserAgent.ToString();
        var source = agent.Contains("wrangler", StringComparison.OrdinalIgnoreCase) ? "wrangler" : "api";
        return new WorkerAuthor(source, context.CallerUser?.Email, context.CallerUser?.Id, context.Now);
    }
}
