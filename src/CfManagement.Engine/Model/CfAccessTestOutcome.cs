namespace CfManagement.Model
{
    /// <summary>What an Access-protected URL said to a service token (Test-CfAccessServiceToken).</summary>
    public enum CfAccessTestOutcome
    {
        /// <summary>Access is in front of the URL and let the token through.</summary>
        Authenticated,
        /// <summary>The token did not authenticate: 401, or Access's redirect to its login page.</summary>
        NotAuthenticated,
        /// <summary>403: the token authenticated but no policy of the application allows it (or something else refused it).</summary>
        NotAuthorized,
        /// <summary>The URL answered 2xx with and without the token: nothing checks it.</summary>
        NotProtected,
        /// <summary>No HTTP answer: DNS, connection refused, TLS failure or timeout.</summary>
        Unreachable,
        /// <summary>An answer none of the above explains (404, 5xx, a redirect elsewhere); the evidence says what came back.</summary>
        Inconclusive,
    }
}
