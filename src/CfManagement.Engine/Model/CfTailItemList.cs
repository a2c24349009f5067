using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>
    /// The logs or exceptions of a tail event: a read-only list that prints as its items ("TypeError: boom; ...")
    /// rather than as a type name, because Export-Csv, ConvertTo-Csv and string expansion write a property's
    /// ToString(): <c>Start-CfTail | Where-Object { $_.Exceptions } | Export-Csv</c> must give readable cells.
    /// </summary>
    public sealed class CfTailItemList<T> : ReadOnlyCollection<T>
    {
        /// <summary>Shared by every event without logs (or exceptions): no allocation per event.</summary>
        public static readonly CfTailItemList<T> Empty = new CfTailItemList<T>(new List<T>());

        private CfTailItemList(IList<T> items) : base(items) { }

        /// <summary>The items as they are (no copy) when already a list; <see cref="Empty"/> when there are none.</summary>
        public static CfTailItemList<T> Of(IReadOnlyList<T> items) =>
            items is CfTailItemList<T> same ? same
            : items.Count == 0 ? Empty
            : new CfTailItemList<T>(items as IList<T> ?? items.ToList());

        /// <summary>The items' own lines joined with "; " (each item prints as wrangler's pretty format prints it).</summary>
        public override string ToString() => string.Join("; ", this);
    }
}
