using System.Collections.Generic;

namespace CfManagement.Api
{
    /// <summary>One page of a list call, and whether another follows.</summary>
    public sealed class ApiPage<T>
    {
        public ApiPage(IReadOnlyList<T> items, int page, int totalPages, int totalCount)
        {
            Items = items;
            Page = page;
            TotalPages = totalPages;
            TotalCount = totalCount;
        }

        public IReadOnlyList<T> Items { get; }
        public int Page { get; }
        public int TotalPages { get; }
        public int TotalCount { get; }
        public bool HasMore => Page < TotalPages;
    }
}
