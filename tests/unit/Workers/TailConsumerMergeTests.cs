using System.Collections;
using System.Management.Automation;
using CfManagement.Model;
using CfManagement.Workers;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>Merging -Add/-Remove/-Replace into the current tail consumers, and reading each consumer argument.</summary>
public class TailConsumerMergeTests
{
    private static CfWorkerTailConsumer C(string service, string? environment = null, string? ns = null) => new("api", service, environment, ns);

    private static string Actions(TailConsumerMerge merge) => string.Join("; ", merge.Changes.Select(c => $"{c.Action} {c.Service}{(c.Environment == null ? "" : "@" + c.Environment)}"));

    [Fact]
    public void Adding_a_consumer_already_there_changes_nothing_and_says_so()
    {
        var merge = TailConsumerMerge.AddRemove([C("logger")], [C("logger")], []);
        Assert.False(merge.Changed);
        Assert.Equal("Unchanged logger", Actions(merge));
        Assert.Equal("already a tail consumer", merge.Changes[0].Reason);
    }

    [Fact]
    public void Add_and_remove_merge_into_the_current_list()
    {
        var merge = TailConsumerMerge.AddRemove([C("old"), C("keep")], [C("logger", "production")], [C("old"), C("absent")]);
        Assert.True(merge.Changed);
        Assert.Equal(["keep", "logger@production"], merge.Result.Select(c => c.ToString()));
        Assert.Equal("Removed old; Unchanged absent; Added logger@production", Actions(merge));
        Assert.Equal("not a tail consumer", merge.Changes[1].Reason);
    }

    [Fact]
    public void A_removal_by_service_alone_removes_it_in_every_environment_but_a_precise_one_only_that_entry()
    {
        var current = new[] { C("logger", "production"), C("logger", "staging"), C("logger", ns: "dispatch") };
        Assert.Empty(TailConsumerMerge.AddRemove(current, [], [C("logger")]).Result);
        Assert.Equal(["logger@staging", "dispatch/logger"], TailConsumerMerge.AddRemove(current, [], [C("logger", "production")]).Result.Select(c => c.ToString()));
    }

    [Fact]
    public void Replace_reports_what_went_and_came_and_ignores_order()
    {
        var current = new[] { C("a"), C("b") };
        var same = TailConsumerMerge.Replace(current, [C("b"), C("a")]);
        Assert.False(same.Changed);
        var merge = TailConsumerMerge.Replace(current, [C("b"), C("c"), C("c")]);
        Assert.True(merge.Changed);
        Assert.Equal(["b", "c"], merge.Result.Select(c => c.Service));
        Assert.Equal("Removed a; Unchanged b; Added c", Actions(merge));
        var cleared = TailConsumerMerge.Replace(current, []);
        Assert.True(cleared.Changed);
        Assert.Empty(cleared.Result);
    }

    [Fact]
    public void Consumers_are_read_from_names_hashtables_and_Get_CfWorkerTailConsumer_output()
    {
        var errors = new List<ErrorRecord>();
        Assert.Equal("logger", TailConsumerArgument.Parse("logger", "api", "Add", errors)!.ToString());
        Assert.Equal("my-dispatch/logger@production",
            TailConsumerArgument.Parse(new Hashtable { ["Service"] = "logger", ["environment"] = "production", ["namespace"] = "my-dispatch" }, "api", "Add", errors)!.ToString());
        Assert.Equal("logger@staging", TailConsumerArgument.Parse(new PSObject(C("logger", "staging")), "api", "Add", errors)!.ToString());
        var custom = new PSObject();
        custom.Properties.Add(new PSNoteProperty("Service", "logger"));
        Assert.Equal("logger", TailConsumerArgument.Parse(custom, "api", "Remove", errors)!.ToString());
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("Logger", "InvalidScriptName")]
    [InlineData("", "InvalidScriptName")]
    [InlineData(42, "InvalidTailConsumer")]
    public void Bad_consumers_are_refused(object value, string errorId)
    {
        var errors = new List<ErrorRecord>();
        Assert.Null(TailConsumerArgument.Parse(value, "api", "Add", errors));
        Assert.Equal(errorId, Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Contains("-Add", errors[0].ErrorDetails.Message);
    }

    [Fact]
    public void Bad_hashtables_are_refused()
    {
        foreach (var table in new[] { new Hashtable { ["script"] = "logger" }, new Hashtable { ["service"] = "logger", ["environment"] = "Prod Env" }, new Hashtable { ["environment"] = "production" } })
        {
            var errors = new List<ErrorRecord>();
            Assert.Null(TailConsumerArgument.Parse(table, "api", "Add", errors));
            Assert.NotEmpty(errors);
        }
    }
}
