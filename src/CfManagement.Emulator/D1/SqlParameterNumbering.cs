using System.Text;

namespace CfManagement.Emulator.D1;

/// <summary>
/// Microsoft.Data.Sqlite binds parameters by name and cannot bind anonymous "?" placeholders, which
/// D1 clients use. This rewrites each bare "?" to "?N" the way SQLite numbers them (one more than the
/// largest number so far), skipping string literals, quoted identifiers and comments.
/// </summary>
internal static class SqlParameterNumbering
{
    public static string Rewrite(string sql)
    {
        var output = new StringBuilder(sql.Length + 8);
        var highest = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var end = sql.IndexOf(close, i + 1);
                end = end < 0 ? sql.Length : end + 1;
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                end = end < 0 ? sql.Length : end;
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + 2;
                output.Append(sql, i, end - i);
                i = end;
            }
            else if (c == '?')
            {
                var start = ++i;
                while (i < sql.Length && char.IsAsciiDigit(sql[i]))
                    i++;
                var number = i > start ? int.Parse(sql.AsSpan(start, i - start)) : ++highest;
                highest = Math.Max(highest, number);
                output.Append('?').Append(number);
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }
}
