using System.Text;

namespace CfManagement.Ledger;

/// <summary>
/// Turns a PowerShell-style wildcard (* any run, ? one character, ` escapes the next character) into a SQL LIKE
/// pattern with '\' as the escape character, so literal % _ and \ in token names still match only themselves.
/// </summary>
internal static class WildcardToLike
{
    public static string Translate(string wildcard)
    {
        var like = new StringBuilder(wildcard.Length + 4);
        for (var i = 0; i < wildcard.Length; i++)
        {
            var c = wildcard[i];
            if (c == '`' && i + 1 < wildcard.Length)
            {
                AppendLiteral(like, wildcard[++i]);
            }
            else if (c == '*')
            {
                like.Append('%');
            }
            else if (c == '?')
            {
                like.Append('_');
            }
            else
            {
                AppendLiteral(like, c);
            }
        }
        return like.ToString();
    }

    private static void AppendLiteral(StringBuilder like, char c)
    {
        if (c is '%' or '_' or '\\')
            like.Append('\\');
        like.Append(c);
    }
}
