using System.Globalization;
using CfManagement.Emulator.Envelope;

namespace CfManagement.Emulator.Routing;

/// <summary>
/// page (default 1, integer ≥ 1), per_page (integer ≥ 1, default and maximum per endpoint; larger values
/// are clamped) and direction (asc|desc). Anything else is 400 code 1115 naming the parameter.
/// </summary>
internal sealed record Paging(int Page, int PerPage, bool Descending)
{
    public static Paging Parse(ApiContext context, int defaultPerPage, int maxPerPage)
    {
        var page = ParsePositive(context.Query("page"), "page") ?? 1;
        var perPage = Math.Min(ParsePositive(context.Query("per_page"), "per_page") ?? defaultPerPage, maxPerPage);
        var direction = context.Query("direction");
        if (direction is not (null or "asc" or "desc"))
            throw ApiException.BadRequest(ErrorCodes.InvalidPaging, "direction must be one of: asc, desc");
        return new Paging(page, perPage, direction == "desc");
    }

    /// <summary>Orders (asc/desc) and cuts one page out of the full, already sorted list.</summary>
    public (List<T> Items, ResultInfo Info) Apply<T>(IReadOnlyList<T> ascending)
    {
        var ordered = Descending ? ascending.Reverse().ToList() : ascending.ToList();
        var items = ordered.Skip((int)Math.Min(int.MaxValue, (long)(Page - 1) * PerPage)).Take(PerPage).ToList();
        var totalPages = (ordered.Count + PerPage - 1) / PerPage;
        return (items, new ResultInfo(Page, PerPage, items.Count, ordered.Count, totalPages));
    }

    private static int? ParsePositive(string? raw, string name)
    {
        if (raw is null)
            return null;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw ApiException.BadRequest(ErrorCodes.InvalidPaging, $"{name} must be a positive integer");
        return value;
    }
}
