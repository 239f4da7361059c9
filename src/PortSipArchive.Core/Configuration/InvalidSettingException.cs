namespace PortSipArchive.Configuration;

/// <summary>A setting is missing or malformed. The message names the app setting as an admin would type it.</summary>
public sealed class InvalidSettingException : Exception
{
    public InvalidSettingException(string settingName, string problem)
        : base($"Setting '{settingName}': {problem}")
    {
        SettingName = settingName;
    }

    public InvalidSettingException()
    {
        SettingName = string.Empty;
    }

    public InvalidSettingException(string message) : base(message)
    {
        SettingName = string.Empty;
    }

    public InvalidSettingException(string message, Exception innerException) : base(message, innerException)
    {
        SettingName = string.Empty;
    }

    public string SettingName { get; }
}
