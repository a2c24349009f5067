namespace CfManagement.Emulator.Envelope;

/// <summary>The envelope's result_info for paged lists.</summary>
internal sealed record ResultInfo(int Page, int PerPage, int Count, int TotalCount, int TotalPages);
