namespace CfManagement.Emulator.Pages;

/// <summary>A deployment of a project, always finished (latest stage deploy/success): the emulator does not build.</summary>
internal sealed record PagesDeployment(string Id, string Environment, string Branch, DateTimeOffset CreatedOn)
{
    public string ShortId => Id[..8];
}
