using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Workers
{
    /// <summary>
    /// Reads one consumer of -Add/-Remove/-Replace: a script name ('logger'), a hashtable in the API's own shape
    /// (@{ service = 'logger'; environment = 'production'; namespace = 'my-dispatch' }), or an object with a Service
    /// property (what Get-CfWorkerTailConsumer returns).
    /// </summary>
    public static class TailConsumerArgument
    {
        public static CfWorkerTailConsumer? Parse(object? value, string script, string parameterName, List<ErrorRecord> errors)
        {
            if (value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject)) value = wrapped.BaseObject;
            string? service, environment = null, ns = null;
            switch (value)
            {
                case string name:
                    service = name;
                    break;
                case CfWorkerTailConsumer consumer:
                    service = consumer.Service; environment = consumer.Environment; ns = consumer.Namespace;
                    break;
                case IDictionary table:
                    foreach (DictionaryEntry entry in table)
                    {
                        var key = entry.Key?.ToString()?.ToLowerInvariant();
                        if (key != "service" && key != "environment" && key != "namespace")
                        {
                            errors.Add(Bad(parameterName, entry.Key, $"-{parameterName} has the key '{entry.Key}'; a tail consumer has only service, environment and namespace."));
                            return null;
                        }
                    }
                    service = Text(table, "service"); environment = Text(table, "environment"); ns = Text(table, "namespace");
                    break;
                case PSObject custom:
                    service = custom.Properties["Service"]?.Value?.ToString();
                    environment = custom.Properties["Environment"]?.Value?.ToString();
                    ns = custom.Properties["Namespace"]?.Value?.ToString();
                    break;
                default:
                    errors.Add(Bad(parameterName, value, $"-{parameterName} got {(value == null ? "null" : "a " + value.GetType().Name)}, not a tail consumer."));
                    return null;
            }
            var before = errors.Count;
            if (WorkerInputValidator.CheckScriptName(service, parameterName) is ErrorRecord badService) errors.Add(badService);
            if (environment != null && !WorkerInputValidator.IsScriptName(environment))
                errors.Add(Bad(parameterName, environment, $"-{parameterName} names the environment '{environment}'; environment names are lower-case letters, digits, '-' and '_'."));
            if (ns != null && string.IsNullOrWhiteSpace(ns))
                errors.Add(Bad(parameterName, ns, $"-{parameterName} names an empty dispatch namespace."));
            return errors.Count > before ? null : new CfWorkerTailConsumer(script, service!, environment, ns);
        }

        private static string? Text(IDictionary table, string key)
        {
            foreach (DictionaryEntry entry in table)
                if (string.Equals(entry.Key?.ToString(), key, System.StringComparison.OrdinalIgnoreCase))
                    return (entry.Value is PSObject p ? p.BaseObject : entry.Value)?.ToString();
            return null;
        }

        private static ErrorRecord Bad(string parameterName, object? value, string message) =>
            InputValidator.Invalid(ErrorIds.InvalidTailConsumer, parameterName, value, message,
                $"Pass consumer script names (-{parameterName} logger), or hashtables @{{ service = 'logger'; environment = 'production' }}.");
    }
}
