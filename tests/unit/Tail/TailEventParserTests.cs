using System.Text;
using CfManagement.Model;
using CfManagement.Tail;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>trace-v1 messages (shapes from API-FACTS "Tail" and wrangler's tail types) into typed events, credentials redacted.</summary>
public class TailEventParserTests
{
    private static CfTailEvent Parse(string json, bool includeSensitive = false) =>
        new TailEventParser(includeSensitive).Parse(Encoding.UTF8.GetBytes(json), "fallback-script");

    private const string RequestEvent = """
        {"outcome":"exception","scriptName":"api","entrypoint":"default","eventTimestamp":1700000000123,
         "logs":[{"message":["hello",42,{"a":1}],"level":"log","timestamp":1700000000100},{"message":["boom"],"level":"error","timestamp":1700000000110}],
         "exceptions":[{"name":"TypeError","message":"x is undefined","timestamp":1700000000120,"stack":"at fetch (index.js:3)"}],
         "event":{"request":{"url":"https://api.example.com/v1?q=1","method":"POST",
           "headers":{"authorization":"Bearer sk-live-123","Cookie":"sid=abc","content-type":"application/json","X-Api-Key":"k1",
                      "cf-access-client-secret":"s3","x-github-token":"t0","Set-Cookie":"a=b","user-agent":"curl/8"},
           "cf":{"colo":"AMS","country":"NL"}},"response":{"status":500}}}
        """;

    [Fact]
    public void A_request_event_is_read_in_full()
    {
        var e = Parse(RequestEvent);
        Assert.Equal(("exception", "api", "default", CfTailEventKind.Request), (e.Outcome, e.ScriptName, e.Entrypoint, e.Kind));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), e.EventTimestamp);
        Assert.True(e.IsError);
        var r = e.Request!;
        Assert.Equal(("POST", "https://api.example.com/v1?q=1", (int?)500, "AMS", "NL"), (r.Method, r.Url, r.Status, r.Colo, r.Country));
        Assert.Equal(2, e.Logs.Count);
        Assert.Equal(("log", "hello 42 {\"a\":1}"), (e.Logs[0].Level, e.Logs[0].Message));
        Assert.Equal(("error", "boom"), (e.Logs[1].Level, e.Logs[1].Message));
        var ex = Assert.Single(e.Exceptions);
        Assert.Equal(("TypeError", "x is undefined", "at fetch (index.js:3)"), (ex.Name, ex.Message, ex.Stack));
        Assert.Equal("POST https://api.example.com/v1?q=1 - Exception Thrown @ " +
            DateTimeOffset.FromUnixTimeMilliseconds(1700000000123).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss"), e.ToString());
    }

    [Fact]
    public void Credential_headers_are_redacted_at_parse_time()
    {
        var h = Parse(RequestEvent).Request!.Headers;
        foreach (var name in new[] { "authorization", "Cookie", "X-Api-Key", "cf-access-client-secret", "x-github-token", "Set-Cookie" })
            Assert.Equal(CfTailRequest.RedactedValue, h[name]);
        Assert.Equal("application/json", h["Content-Type"]);
        Assert.Equal("curl/8", h["user-agent"]);
        foreach (var secret in new[] { "sk-live-123", "sid=abc", "k1", "s3", "t0", "a=b" })
            Assert.DoesNotContain(h.Values, v => v.Contains(secret));
    }

    [Fact]
    public void Credential_headers_are_kept_only_when_asked()
    {
        var h = Parse(RequestEvent, includeSensitive: true).Request!.Headers;
        Assert.Equal("Bearer sk-live-123", h["Authorization"]);
        Assert.Equal("sid=abc", h["cookie"]);
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("COOKIE", true)]
    [InlineData("set-cookie", true)]
    [InlineData("CF-Access-Client-Secret", true)]
    [InlineData("x-csrf-token", true)]
    [InlineData("X-Client-Secret", true)]
    [InlineData("x-api-key", true)]
    [InlineData("x-session-id", true)]
    [InlineData("content-type", false)]
    [InlineData("accept", false)]
    [InlineData("cf-ray", false)]
    [InlineData("", false)]
    public void Sensitive_header_names(string name, bool sensitive) => Assert.Equal(sensitive, SensitiveHeaders.IsSensitive(name));

    [Fact]
    public void A_scheduled_event()
    {
        var e = Parse("""{"outcome":"ok","scriptName":"cron","eventTimestamp":1700000000000,"logs":[],"exceptions":[],"event":{"cron":"*/5 * * * *","scheduledTime":1700000000000}}""");
        Assert.Equal((CfTailEventKind.Scheduled, "*/5 * * * *"), (e.Kind, e.Cron));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000000), e.ScheduledTime);
        Assert.Null(e.Request);
        Assert.False(e.IsError);
    }

    [Fact]
    public void Queue_alarm_email_and_rpc_events()
    {
        var q = Parse("""{"outcome":"ok","scriptName":"w","logs":[],"exceptions":[],"event":{"queue":"jobs","batchSize":7}}""");
        Assert.Equal((CfTailEventKind.Queue, "jobs", (int?)7), (q.Kind, q.Queue, q.BatchSize));
        var a = Parse("""{"outcome":"ok","scriptName":"w","logs":[],"exceptions":[],"event":{"scheduledTime":"2025-01-02T03:04:05Z"}}""");
        Assert.Equal(CfTailEventKind.Alarm, a.Kind);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), a.AlarmTime);
        var m = Parse("""{"outcome":"ok","scriptName":"w","logs":[],"exceptions":[],"event":{"mailFrom":"a@x.test","rcptTo":"b@y.test","rawSize":1234}}""");
        Assert.Equal((CfTailEventKind.Email, "a@x.test", "b@y.test", (long?)1234), (m.Kind, m.EmailFrom, m.EmailTo, m.EmailSize));
        var rpc = Parse("""{"outcome":"ok","scriptName":"w","logs":[],"exceptions":[],"event":{"rpcMethod":"ping"}}""");
        Assert.Equal((CfTailEventKind.Rpc, "ping"), (rpc.Kind, rpc.RpcMethod));
    }

    [Fact]
    public void A_null_event_and_missing_members_get_defaults_and_the_tailed_script()
    {
        var e = Parse("""{"outcome":"canceled","event":null}""");
        Assert.Equal(("canceled", "fallback-script", CfTailEventKind.Unknown), (e.Outcome, e.ScriptName, e.Kind));
        Assert.Empty(e.Logs);
        Assert.Empty(e.Exceptions);
        Assert.Null(e.EventTimestamp);
    }

    [Theory]
    [InlineData("not json Bearer sk-live-1")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void A_message_that_is_not_an_event_is_refused_without_echoing_it(string message)
    {
        var ex = Assert.Throws<FormatException>(() => Parse(message));
        Assert.DoesNotContain("sk-live", ex.Message);
        Assert.DoesNotContain("text", ex.Message.Replace("JSON", ""), StringComparison.Ordinal);
    }
}
