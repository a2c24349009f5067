using System.Collections.Generic;
using System.IO;
using CfManagement.Errors;

namespace CfManagement.SecretSets
{
    /// <summary>Reads a secrets file: *.json in wrangler's bulk JSON format, anything else (.env, .dev.vars) as dotenv.</summary>
    internal static class SecretFileReader
    {
        /// <param name="fullPath">The resolved file system path.</param>
        /// <param name="shownAs">How errors name the file (the path the user typed).</param>
        public static IReadOnlyList<ParsedSecret> Read(string fullPath, string shownAs)
        {
            if (Directory.Exists(fullPath))
                throw new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileNotFound, $"-Path '{shownAs}' is a directory, not a secrets file.",
                    "Pass a .env, .dev.vars or .json file.", shownAs));
            if (!File.Exists(fullPath))
                throw new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileNotFound, $"-Path '{shownAs}' does not exist.",
                    "Check the path; relative paths are resolved against the current PowerShell location.", shownAs));
            string text;
            try
            {
                text = File.ReadAllText(fullPath);
            }
            catch (IOException ex)
            {
                throw new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileNotFound, $"-Path '{shownAs}' cannot be read: {ex.Message}", "Check the file's permissions.", shownAs));
            }
            catch (System.UnauthorizedAccessException ex)
            {
                throw new SecretInputException(new SecretInputProblem(ErrorIds.SecretFileNotFound, $"-Path '{shownAs}' cannot be read: {ex.Message}", "Check the file's permissions.", shownAs));
            }
            return IsJson(fullPath) ? JsonSecretFileParser.Parse(text, shownAs) : DotEnvParser.Parse(text, shownAs);
        }

        public static bool IsJson(string path) => string.Equals(Path.GetExtension(path), ".json", System.StringComparison.OrdinalIgnoreCase);
    }
}
