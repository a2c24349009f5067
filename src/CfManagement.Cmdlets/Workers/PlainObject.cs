using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace CfManagement.Workers
{
    /// <summary>
    /// PowerShell values as the plain .NET values the engine reads: PSObject wrappers removed, a [pscustomobject] as an
    /// ordered dictionary of its properties, hashtables and arrays converted item by item (a hashtable stays unordered,
    /// so the engine sorts its keys; an [ordered] one keeps its order).
    /// </summary>
    internal static class PlainObject
    {
        public static object? From(object? value)
        {
            if (value is PSObject ps)
            {
                if (ps.BaseObject is PSCustomObject)
                {
                    var properties = new OrderedDictionary();
                    foreach (var property in ps.Properties) properties[property.Name] = From(property.Value);
                    return properties;
                }
                value = ps.BaseObject;
            }
            switch (value)
            {
                case null: return null;
                case string _: return value;
                case System.Security.SecureString _: return value;
                case OrderedDictionary ordered:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry e in ordered) copy[e.Key] = From(e.Value);
                    return copy;
                case IDictionary dictionary:
                    var table = new Hashtable();
                    foreach (DictionaryEntry e in dictionary) table[e.Key] = From(e.Value);
                    return table;
                case IEnumerable list:
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(From(item));
                    return items;
                default: return value;
            }
        }

        /// <summary>A -Binding entry (hashtable or object) as name → value, or null when it is neither.</summary>
        public static IDictionary<string, object?>? Entry(object? value)
        {
            if (!(From(value) is IDictionary dictionary)) return null;
            var result = new Dictionary<string, object?>();
            foreach (DictionaryEntry e in dictionary) result[e.Key?.ToString() ?? ""] = e.Value;
            return result;
        }
    }
}
