using System.Collections;
using System.Management.Automation;
using CfManagement.Completion;
using System.Security;
using CfManagement.Errors;
using CfManagement.SecretSets;

namespace CfManagement.Commands.Workers
{
    /// <summary>
    /// <para type="synopsis">Sets Worker secrets: one (-Name/-Value), many from the pipeline (Import-Csv), a hashtable, or a .env/.dev.vars/JSON file, in batches through secrets-bulk, with one result per secret.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfWorkerSecret", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ValueSet)]
    [OutputType(typeof(CfSecretResult))]
    public sealed class SetCfWorkerSecretCommand : WorkerSecretWriteCmdlet
    {
        private const string ValueSet = "Value";
        private const string InputObjectSet = "InputObject";
        private const string HashtableSet = "Hashtable";
        private const string PathSet = "Path";
        private int _objectNumber;

        /// <summary>The Worker script. Piped objects may carry their own Script/ScriptName property instead.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ValueSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = HashtableSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("WorkerScript", "ScriptName")]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? Script { get; set; }

        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ValueSet)]
        public string? Name { get; set; }

        [Parameter(Mandatory = true, Position = 2, ParameterSetName = ValueSet)]
        public SecureString? Value { get; set; }

        /// <summary>Objects with Name and Value (a string is made a SecureString at once), and optionally Script.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>NAME = value (SecureString or string).</summary>
        [Parameter(Mandatory = true, ParameterSetName = HashtableSet)]
        public Hashtable? Secret { get; set; }

        /// <summary>A .env / .dev.vars file (dotenv format) or a JSON file {"NAME": "value"} (null deletes, as in wrangler's bulk format).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Alias("FullName")]
        public string? Path { get; set; }

        protected override bool PruneMissing => false;
        protected override string Activity => "Setting Worker secrets";

        protected override void ProcessCfRecord()
        {
            switch (ParameterSetName)
            {
                case ValueSet:
                    AddEntry(Script, new SecretEntry(Name ?? "", Value, "-Name/-Value"));
                    break;
                case HashtableSet:
                    AddHashtable(Secret!, entry => AddEntry(Script, entry));
                    break;
                case PathSet:
                    AddFile(Script ?? "", Path!);
                    break;
                default:
                    AddInputObject(InputObject!);
                    break;
            }
        }

        private void AddInputObject(PSObject input)
        {
            _objectNumber++;
            var origin = $"pipeline object {_objectNumber}";
            var name = Property(input, "Name") as string ?? (Property(input, "Name")?.ToString());
            var script = (Property(input, "Script") ?? Property(input, "ScriptName") ?? Property(input, "WorkerScript"))?.ToString() ?? Script;
            var raw = Property(input, "Value");
            var value = ToSecure(raw);
            if (string.IsNullOrEmpty(name) || value == null)
            {
                Refuse(new SecretInputProblem(ErrorIds.InvalidSecretInput,
                    $"The {origin} has {(string.IsNullOrEmpty(name) ? "no Name" : "no Value (a string or SecureString)")}.",
                    "Pipe objects with Name and Value properties (e.g. Import-Csv of a NAME,Value file), optionally with Script."), name);
                return;
            }
            if (string.IsNullOrEmpty(script))
            {
                Refuse(new SecretInputProblem(ErrorIds.InvalidSecretInput, $"The {origin} ({name}) names no Worker script: -Script was not given and the object has no Script property.",
                    "Pass -Script, or give the objects a Script property."), name);
                return;
            }
            AddEntry(script, new SecretEntry(name!, value, origin), "Script");
        }

        private static object? Property(PSObject input, string name)
        {
            var value = input.Properties[name]?.Value;
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }
    }
}
