using System.Text;
using CfManagement.Model;
using CfManagement.Tail;
using Xunit;

namespace CfManagement.Tests.Tail;

/// <summary>An event's logs and exceptions print as their items (Export-Csv writes ToString()), never as a type name.</summary>
public class CfTailItemListTests
{
    private static CfTailEvent Parse(string json) => new TailEventParser(false).Parse(Encoding.UTF8.GetBytes(json), "api");

    [Fact]
    public void Logs_and_exceptions_print_as_their_lines_joined()
    {
        var e = Parse("""
            {"outcome":"exception","scriptName":"api","eventTimestamp":1700000000123,
             "logs":[{"message":["hello",42],"level":"log","timestamp":1},{"message":["boom"],"level":"error","timestamp":2}],
             "exceptions":[{"name":"TypeError","message":"x is undefined","timestamp":3},{"name":"Error","message":"again","timestamp":4}],
             "event":null}
            """);
        Assert.Equal("(log) hello 42; (error) boom", e.Logs.ToString());
        Assert.Equal("TypeError: x is undefined; Error: again", e.Exceptions.ToString());
        Assert.Equal(2, e.Exceptions.Count);
    }

    [Fact]
    public void No_logs_or_exceptions_print_empty_and_share_one_instance()
    {
        var first = Parse("""{"outcome":"ok","scriptName":"api","logs":[],"exceptions":[],"event":null}""");
        var second = Parse("""{"outcome":"ok","scriptName":"api","event":null}""");
        Assert.Equal("", first.Logs.ToString());
        Assert.Equal("", first.Exceptions.ToString());
        Assert.Empty(second.Exceptions);
        Assert.Same(first.Exceptions, second.Exceptions);
        Assert.Same(CfTailItemList<CfTailLog>.Empty, second.Logs);
    }
}
