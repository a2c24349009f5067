using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Routing;

/// <summary>
/// One API route. <see cref="Template"/> is relative to /client/v4 with {name} placeholders.
/// <see cref="UserTokensOnly"/>: account-owned tokens get 401 10001. <see cref="AllowsInactiveToken"/>:
/// disabled/expired tokens still authenticate (the verify endpoints report their status).
/// </summary>
internal sealed record Route(string Method, string Template, Func<ApiContext, ApiResponse> Handler,
    bool UserTokensOnly = false, bool AllowsInactiveToken = false)
{
    public string[] Segments { get; } = Template.Trim('/').Split('/');
}
