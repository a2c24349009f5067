using System.Text;
using CfManagement.Model;
using CfManagement.Tail;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>
/// The single-pass Utf8JsonReader parser against the JsonDocument parser it replaced (JsonDocumentTailEventParser): the same
/// event, field for field, for every shape a reader could get out of step on (nested and unknown members, escapes,
/// numbers sent as strings, missing and repeated members, every event kind), and the same refusals.
/// </summary>
public class TailEventParserEquivalenceTests
{
    public static TheoryData<string> Messages
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var message in MessageTexts) data.Add(message);
            return data;
        }
    }

    private static readonly string[] MessageTexts =
    {
        // every event kind
        """{"outcome":"ok","scriptName":"a","event":{"request":{"url":"https://x/","method":"GET","headers":{"authorization":"Bearer t","accept":"*/*"},"cf":{"colo":"AMS","country":"NL"}},"response":{"status":204}}}""",
        """{"outcome":"ok","event":{"cron":"*/5 * * * *","scheduledTime":1700000000000}}""",
        """{"outcome":"ok","event":{"queue":"jobs","batchSize":12}}""",
        """{"outcome":"ok","event":{"mailFrom":"a@x","rcptTo":"b@x","rawSize":4096}}""",
        """{"outcome":"ok","event":{"rcptTo":"b@x"}}""",
        """{"outcome":"ok","event":{"rpcMethod":"add"}}""",
        """{"outcome":"ok","event":{"consumedEvents":[{"scriptName":"p","event":{"request":{}}}]}}""",
        """{"outcome":"ok","event":{"scheduledTime":"2024-01-02T03:04:05Z"}}""",
        """{"outcome":"ok","event":{"somethingNew":{"deep":[1,{"x":[]}]}}}""",
        // the kind is decided by priority, not by member order
        """{"event":{"scheduledTime":5,"queue":"q","cron":"c","request":{"url":"u"}}}""",
        """{"event":{"scheduledTime":5,"rpcMethod":"m","mailFrom":"f"}}""",
        // nested and unknown members skipped at every level
        """{"zz":{"event":{"request":{}}},"outcome":"ok","arr":[[{"outcome":"no"}],"x"],"event":{"unknown":{"request":1},"request":{"extra":{"url":"no"},"url":"yes","headers":{"x-list":[1,"two",{"3":null}],"x-obj":{"a":{"b":[]}}}},"more":[{}]},"tail":true}""",
        """{"logs":[{"nested":{"message":"no"},"message":["a",{"b":[1,2,{"c":"d"}]},[3,4],null,true,1.50e3],"level":"warn"},7,"s",[{"message":"no"}]],"exceptions":[{"deep":{"name":"no"},"name":"E"},null]}""",
        // escaped strings and names
        """{"outcome":"o\u006b","scriptName":"sc\"ript\\","entrypoint":"\uD83D\uDE00","event":{"re\u0071uest":{"url":"https:\/\/x\/\u00e9","headers":{"Author\u0069zation":"Bearer \u0073ecret","x-\u0065":"a\tb\n"}}}}""",
        """{"logs":[{"message":["line\none","\"quoted\"","tab\there"]},{"message":"caf\u00e9"}],"exceptions":[{"name":"Type\u0045rror","message":"x\\y","stack":"at\n f"}]}""",
        // numbers sent as strings, and other wrong types
        """{"eventTimestamp":"1700000000123","event":{"request":{"url":"u"},"response":{"status":"500"}}}""",
        """{"eventTimestamp":"2024-05-06T07:08:09+02:00","event":{"queue":"q","batchSize":"3"}}""",
        """{"event":{"mailFrom":"a","rawSize":"99"}}""",
        """{"event":{"queue":5,"batchSize":3.5}}""",
        """{"event":{"queue":"q","batchSize":99999999999}}""",
        """{"event":{"request":{"url":"u"},"response":{"status":200.0}}}""",
        """{"outcome":7,"scriptName":false,"entrypoint":{},"eventTimestamp":[1],"logs":{},"exceptions":"x"}""",
        """{"logs":[{"level":3,"message":42,"timestamp":"soon"},{"message":null},{"message":{"k":"v"}},{"message":[]},{"message":["",""]},{"message":["","a"]}]}""",
        """{"eventTimestamp":1.7e12,"logs":[{"timestamp":-5}],"exceptions":[{"timestamp":1700000000999.9}]}""",
        """{"event":{"request":"not an object","response":{"status":404}}}""",
        """{"event":{"request":null}}""",
        """{"event":{"request":{"headers":[1,2],"cf":"AMS"}}}""",
        """{"event":{"request":{"headers":{"cookie":5,"x":null,"y":true,"z":-1.5e-3}}}}""",
        // missing members
        """{}""",
        """{"event":null}""",
        """{"event":[]}""",
        """{"scriptName":"","event":{}}""",
        """{"event":{"request":{}}}""",
        """{"event":{"response":{"status":500}}}""",
        // a member named twice: the last one wins, as TryGetProperty answered
        """{"outcome":"first","outcome":"second","event":{"queue":"q"},"event":{"cron":"c"}}""",
        """{"event":{"request":{"url":"a","headers":{"x":"1","X":"2"},"headers":{"y":"3"},"url":"b"},"response":{"status":1},"response":{}}}""",
        """{"logs":[{"message":"a","message":"b"}],"logs":[{"level":"x"}],"event":{"cron":"c"},"event":5}""",
        // whitespace everywhere
        " \r\n { \"outcome\" : \"ok\" , \"event\" : { \"rpcMethod\" : \"m\" } } \n ",
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void The_reader_gives_the_event_the_document_gave(string json)
    {
        foreach (var includeSensitive in new[] { false, true })
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var expected = new JsonDocumentTailEventParser(includeSensitive).Parse(bytes, "fallback");
            var actual = new TailEventParser(includeSensitive).Parse(bytes, "fallback");
            Assert.Equal(Describe(expected), Describe(actual));
        }
    }

    public static TheoryData<string> Refused => new()
    {
        "", "   ", "[]", "\"text\"", "42", "null", "true", "{", "{\"a\":1,}", "{} {}", "{}x", "[1,]", "{\"a\":/*c*/1}",
        "{\"event\":{\"request\":{\"headers\":{\"authorization\":\"Bearer sk-live-1\"}}}", "{'a':1}",
        new string('[', 65) + new string(']', 65),
        "{\"logs\":" + new string('[', 70) + new string(']', 70) + "}",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void The_reader_refuses_what_the_document_refused_with_the_same_message(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var expected = Assert.Throws<FormatException>(() => new JsonDocumentTailEventParser(false).Parse(bytes, "f"));
        var actual = Assert.Throws<FormatException>(() => new TailEventParser(false).Parse(bytes, "f"));
        Assert.Equal(expected.Message, actual.Message);
        Assert.DoesNotContain("sk-live", actual.ToString());
    }

    [Fact]
    public void A_redacted_value_is_never_decoded()
    {
        // Bytes that are not UTF-8 cannot become a string: decoding the value would throw. Redacted, it is only stepped over.
        var json = Encoding.UTF8.GetBytes("""{"event":{"request":{"headers":{"authorization":"Bearer ??","accept":"a"}}}}""");
        var at = Array.IndexOf(json, (byte)'?');
        json[at] = 0xC3; json[at + 1] = 0x28; // a lead byte followed by a non-continuation byte
        var e = new TailEventParser(false).Parse(json, "f");
        Assert.Equal(CfTailRequest.RedactedValue, e.Request!.Headers["authorization"]);
        Assert.Equal("a", e.Request.Headers["accept"]);
        Assert.ThrowsAny<InvalidOperationException>(() => new TailEventParser(true).Parse(json, "f"));
    }

    [Fact]
    public void Every_kind_comes_out_of_the_reader()
    {
        var kinds = MessageTexts.Select(m => new TailEventParser(false).Parse(Encoding.UTF8.GetBytes(m), "f").Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<CfTailEventKind>().ToHashSet(), kinds);
    }

    private static string Describe(CfTailEvent e)
    {
        var text = new StringBuilder();
        text.Append($"{e.Outcome}|{e.ScriptName}|{e.Entrypoint}|{e.EventTimestamp?.ToUnixTimeMilliseconds()}|{e.EventTimestamp?.Offset}|{e.Kind}\n");
        foreach (var log in e.Logs) text.Append($"log {log.Level}|{log.Message}|{log.Timestamp?.ToUnixTimeMilliseconds()}\n");
        foreach (var ex in e.Exceptions) text.Append($"ex {ex.Name}|{ex.Message}|{ex.Stack ?? "<null>"}|{ex.Timestamp?.ToUnixTimeMilliseconds()}\n");
        text.Append($"{e.Cron}|{e.ScheduledTime?.UtcTicks}|{e.Queue}|{e.BatchSize}|{e.AlarmTime?.UtcTicks}|{e.EmailFrom}|{e.EmailTo}|{e.EmailSize}|{e.RpcMethod}|{e.PagesProject}|{e.DeploymentId}\n");
        if (e.Request is { } r)
        {
            text.Append($"req {r.Method}|{r.Url}|{r.Status}|{r.Colo ?? "<null>"}|{r.Country ?? "<null>"}\n");
            foreach (var h in r.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)) text.Append($"h {h.Key}={h.Value}\n");
            text.Append($"h[X]={(r.Headers.TryGetValue("X", out var x) ? x : "<none>")}\n");
        }
        else text.Append("no request\n");
        return text.ToString();
    }
}
