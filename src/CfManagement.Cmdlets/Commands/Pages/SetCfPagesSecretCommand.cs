using System.Collections;
using System.Management.Automation;
using System.Security;
using CfManagement.Errors;
using CfManagement.SecretSets;

namespace CfManagement.Commands.Pages
{
    /// <summary>
    /// <para type="synopsis">Sets secrets of a Pages project environment: one (-Name/-Value), many from the pipeline (Import-Csv), a hashtable, or a .env/.dev.vars/JSON file, with one result per secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfPagesSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ValueSet)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class SetCfPagesSecretCommand : PagesSecretWriteCmdlet
    {
        private const string ValueSet = "Value";
        private const string InputObjectSet = "InputObject";
        private const string HashtableSet = "Hashtable";
        private const string PathSet = "Path";
        private int _objectNumber;

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ValueSet)]
        public string? Name { get; set; }

        [Parameter(Mandatory = true, Position = 2, ParameterSetName = ValueSet)]
        public SecureString? Value { get; set; }

        /// <summary>Objects with Name and Value (a string is made a SecureString at once).</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>NAME = value (SecureString or string).</summary>
        [Parameter(Mandatory = true, ParameterSetName = HashtableSet)]
        public Hashtable? Secret { get; set; }

        /// <summary>A .env / .dev.vars file or a JSON file {"NAME": "value"} (null deletes).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Alias("FullName")]
        public string? Path { get; set; }

        protected override bool PruneMissing => false;
        protected override string Activity => "Setting Pages secrets";

        protected override void ProcessCfRecord()
        {
            switch (ParameterSetName)
            {
                case ValueSet:
                    AddEntry(new SecretEntry(Name ?? "", Value, "-Name/-Value"));
                    break;
                case HashtableSet:
                    AddHashtable(Secret!, AddEntry);
                    break;
                case PathSet:
                    AddFile(Path!);
                    break;
                default:
                    _objectNumber++;
                    var origin = $"pipeline object {_objectNumber}";
                    var input = InputObject!;
                    var objectName = input.Properties["Name"]?.Value?.ToString();
                    var objectValue = ToSecure(input.Properties["Value"]?.Value);
                    if (string.IsNullOrEmpty(objectName) || objectValue == null)
                        Refuse(new SecretInputProblem(ErrorIds.InvalidSecretInput,
                            $"The {origin} has {(string.IsNullOrEmpty(objectName) ? "no Name" : "no Value (a string or SecureString)")}.",
                            "Pipe objects with Name and Value properties (e.g. Import-Csv of a NAME,Value file)."), objectName);
                    else
                        AddEntry(new SecretEntry(objectName!, objectValue, origin));
                    break;
            }
        }
    }
}
