using System.Management.Automation;
using System.Security;

namespace CfManagement.Validation
{
    /// <summary>
    /// Lets a SecureString parameter take a plain string, so `Import-Csv secrets.csv | Set-...Secret` binds the Value
    /// column: the text is already in the caller's memory; from here on it travels only as a SecureString.
    /// </summary>
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (!(value is string text)) return inputData;
            // A SecureString holds at most 65,536 characters; say so instead of failing inside AppendChar.
            if (text.Length > 65536)
                throw new ArgumentTransformationMetadataException($"The value is {text.Length} characters long; a SecureString (and a Cloudflare secret) holds at most 65,536.");
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
