using System.Data.Common;

namespace AgentHost.Core.Storage;

public static class DbCommandExtensions
{
    /// <summary>Adds a named parameter (@name); null becomes SQL NULL.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
