namespace AgentHost.Core.Policies;

/// <summary>
/// One argument's value as the policy sees it: one string or several (a recipient list). A struct over
/// a string or an array, so the common single value costs no allocation.
/// </summary>
public readonly struct ToolArgumentValue
{
    private readonly string? _single;
    private readonly string[]? _many;

    public ToolArgumentValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _single = value;
    }

    public ToolArgumentValue(string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _many = values;
    }

    /// <summary>Whether the value was given as a list (even of one), which a normalised copy keeps.</summary>
    public bool IsList => _many is not null;

    public int Count => _many?.Length ?? (_single is null ? 0 : 1);

    public string this[int index] => _many is not null ? _many[index] : index == 0 && _single is not null ? _single : throw new ArgumentOutOfRangeException(nameof(index));

    public static implicit operator ToolArgumentValue(string value) => new(value);

    public static implicit operator ToolArgumentValue(string[] values) => new(values);

    public static ToolArgumentValue FromString(string value) => new(value);

    public static ToolArgumentValue FromStrings(string[] values) => new(values);

    public IEnumerable<string> Values()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    public override string ToString() => _many is not null ? string.Join(", ", _many) : _single ?? string.Empty;
}
