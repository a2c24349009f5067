using System;
using System.Collections.Generic;
using System.Linq;
using CfManagement.Model;

namespace CfManagement.Access
{
    /// <summary>
    /// Reads the answers to a service-token probe as an outcome, with the evidence and the next step. The rules follow
    /// what Access in front of an origin does:
    /// <list type="bullet">
    /// <item>401: the token did not authenticate (Access in strict mode, or an application with service_auth_401_redirect).</item>
    /// <item>3xx to <c>/cdn-cgi/access/login</c> (the team domain's login page): also not authenticated; Access sends a
    /// request there when no Service Auth policy took the token (an Allow policy, a wrong secret without the 401 setting).</item>
    /// <item>403: authenticated, but no policy of the application allows this token.</item>
    /// <item>CF_Authorization in Set-Cookie: Access checked the token and issued the application's JWT, so it let it
    /// through (Cloudflare: "If the service token is valid, Access generates a JWT scoped to the application in the
    /// form of a CF_Authorization cookie").</item>
    /// <item>2xx without that cookie proves nothing by itself (the origin may not be behind Access at all), so a control
    /// request WITHOUT the token decides: refused there (401/403/login redirect) means something checked the token and
    /// let it through; 2xx there too means nothing protects the URL.</item>
    /// </list>
    /// Anything else (404, 5xx, a redirect elsewhere) is Inconclusive, with what came back.
    /// </summary>
    internal sealed class AccessVerdict
    {
        public const string AccessCookie = "CF_Authorization";
        public const string AccessLoginPath = "/cdn-cgi/access/login";

        private AccessVerdict(CfAccessTestOutcome outcome, string reason, string recommendedAction, IReadOnlyList<string> evidence)
        {
            Outcome = outcome;
            Reason = reason;
            RecommendedAction = recommendedAction;
            Evidence = evidence;
        }

        public CfAccessTestOutcome Outcome { get; }
        public string Reason { get; }
        public string RecommendedAction { get; }
        public IReadOnlyList<string> Evidence { get; }

        /// <summary>True when the answer with the token cannot be read without a control request (2xx, no Access cookie).</summary>
        public static bool NeedsControlRequest(AccessProbeResponse withToken) => withToken.IsSuccess && !HasAccessCookie(withToken);

        public static bool HasAccessCookie(AccessProbeResponse answer) => answer.CookieNames.Contains(AccessCookie, StringComparer.Ordinal);

        /// <summary>A redirect to Access's login page (on the team domain, or relative on the application's own host).</summary>
        public static bool IsAccessLoginRedirect(AccessProbeResponse answer) =>
            answer.IsRedirect && answer.Location != null && answer.Location.IndexOf(AccessLoginPath, StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>Headers only Access (or Cloudflare's edge) sets: cf-access-* or server: cloudflare.</summary>
        public static bool HasAccessHeaders(AccessProbeResponse answer) =>
            answer.Headers.Keys.Any(k => k.StartsWith("cf-access-", StringComparison.Ordinal)) ||
            (answer.Headers.TryGetValue("server", out var server) && server.IndexOf("cloudflare", StringComparison.OrdinalIgnoreCase) >= 0);

        private static bool Refused(AccessProbeResponse answer) => answer.StatusCode == 401 || answer.StatusCode == 403 || IsAccessLoginRedirect(answer);

        public static AccessVerdict Decide(Uri uri, AccessProbeResponse withToken, AccessProbeResponse? withoutToken)
        {
            var evidence = EvidenceOf(withToken, "With the token");
            if (withoutToken != null) evidence.AddRange(EvidenceOf(withoutToken, "Without the token (control request)"));
            var host = uri.Host;

            if (withToken.TransportFailure != null)
                return new AccessVerdict(CfAccessTestOutcome.Unreachable,
                    $"No answer from {host}: {withToken.TransportFailure}.",
                    "Check the URL, its DNS record and that the service (or its Cloudflare Tunnel) is up; for a slow origin raise -TimeoutSec.", evidence);

            var status = withToken.StatusCode!.Value;
            if (status == 401)
                return new AccessVerdict(CfAccessTestOutcome.NotAuthenticated,
                    "401: the client id and secret did not authenticate (wrong or replaced secret, an expired, disabled or deleted token, or a token of another account).",
                    "Check the token (Get-CfAccessServiceToken: expiry, enabled); if the secret was rotated, test the one now stored (-Vault/-SecretName) or rotate again with Invoke-CfAccessServiceTokenRotate.", evidence);

            if (IsAccessLoginRedirect(withToken))
                return new AccessVerdict(CfAccessTestOutcome.NotAuthenticated,
                    $"{status}: Access sent the request to its login page ({withToken.Location}) instead of taking the token.",
                    "Machines are sent to the login page when no Service Auth policy takes the token: give the application a policy with the Service Auth action (decision non_identity) that includes this token; if it has one, the id or secret is wrong or expired (as for a 401). The application's service_auth_401_redirect setting makes Access answer 401 instead of redirecting.", evidence);

            if (status == 403)
            {
                var fromAccess = HasAccessHeaders(withToken);
                return new AccessVerdict(CfAccessTestOutcome.NotAuthorized,
                    fromAccess
                        ? "403: Access knows the token, but no policy of the application covering this URL allows it."
                        : "403: refused, but no Access header came with it, so the refusal may come from the origin or a WAF rule rather than from Access.",
                    fromAccess
                        ? "Include the token in a Service Auth policy of the Access application for this hostname and path (include: service_token, or any_valid_service_token)."
                        : "Check the Access application's policies for this token, then the origin's own authorisation and WAF rules (a 403 'error code: 1010' is a WAF block of the client).", evidence);
            }

            if (HasAccessCookie(withToken))
                return new AccessVerdict(CfAccessTestOutcome.Authenticated,
                    withToken.IsSuccess
                        ? $"{status}, and Access issued its {AccessCookie} cookie: Access checked the token and let it through."
                        : $"Access let the token through (it issued its {AccessCookie} cookie), but the origin behind it answered {status}.",
                    withToken.IsSuccess
                        ? "Nothing to do: the token works for this URL."
                        : $"The token works; look at the origin's own {status} (path, service health).", evidence);

            if (withToken.IsSuccess)
            {
                if (withoutToken == null)
                    throw new InvalidOperationException("A 2xx without Access's cookie needs the control request's answer.");
                if (Refused(withoutToken))
                    return new AccessVerdict(CfAccessTestOutcome.Authenticated,
                        $"{status} with the token, {Describe(withoutToken)} without it: the URL is protected and let the token through.",
                        "Nothing to do: the token works for this URL.", evidence);
                if (withoutToken.IsSuccess)
                    return new AccessVerdict(CfAccessTestOutcome.NotProtected,
                        $"{status} with the token and {withoutToken.StatusCode} without it, and no Access cookie: nothing in front of this URL checks service tokens.",
                        "Put this hostname (and path) behind an Access application with a Service Auth policy, or test the URL of the protected path; if Access is configured, check that the hostname's DNS record is proxied through Cloudflare.", evidence);
                return new AccessVerdict(CfAccessTestOutcome.Inconclusive,
                    $"{status} with the token, but the control request without it got {Describe(withoutToken)}: whether anything checks the token cannot be told.",
                    "Run the test again; if it repeats, look at what answers this URL without credentials (curl -i).", evidence);
            }

            if (withToken.IsRedirect)
                return new AccessVerdict(CfAccessTestOutcome.Inconclusive,
                    withToken.Location == null
                        ? $"{status}: a redirect without a Location."
                        : $"{status}: redirected to {withToken.Location}, not followed because the request carried the secret.",
                    withToken.Location == null
                        ? "Test the URL the service really answers on."
                        : $"If you trust the target, test it directly: Test-CfAccessServiceToken -Uri '{withToken.Location}' (an http to https redirect means: use the https URL).", evidence);

            return new AccessVerdict(CfAccessTestOutcome.Inconclusive,
                $"{status}: neither Access's 401/403 nor a success{(HasAccessHeaders(withToken) ? " (Cloudflare answered)" : "")}.",
                status >= 500
                    ? "The origin, its tunnel or the edge failed; check the service, then test again."
                    : "Check the URL (path and hostname) and test again.", evidence);
        }

        private static string Describe(AccessProbeResponse answer) =>
            answer.TransportFailure != null ? "no answer (" + answer.TransportFailure + ")"
            : IsAccessLoginRedirect(answer) ? $"{answer.StatusCode} to Access's login page"
            : answer.StatusCode!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static List<string> EvidenceOf(AccessProbeResponse answer, string label)
        {
            var lines = new List<string>();
            if (answer.TransportFailure != null)
            {
                lines.Add($"{label}: no answer after {answer.Elapsed.TotalMilliseconds:0} ms ({answer.TransportFailure})");
                return lines;
            }
            lines.Add($"{label}: HTTP {answer.StatusCode} in {answer.Elapsed.TotalMilliseconds:0} ms");
            if (answer.Location != null) lines.Add($"{label}: redirect to {answer.Location} (not followed)");
            foreach (var cookie in answer.CookieNames) lines.Add($"{label}: Set-Cookie {cookie} (value withheld)");
            foreach (var header in answer.Headers) lines.Add($"{label}: {header.Key}: {header.Value}");
            return lines;
        }
    }
}
