using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace PortSipArchive.Configuration;

/// <summary>
/// Reads typed values from one configuration section and reports problems with the app-setting name
/// (<c>Section__Key</c>), which is what an admin sets in Azure or in local.settings.json.
/// </summary>
internal sealed class SettingReader
{
    private readonly IConfiguration _section;
    private readonly IConfiguration? _fallback;
    private readonly string _prefix;

    public SettingReader(IConfiguration section, string prefix, IConfiguration? fallback = null)
    {
        _section = section;
        _prefix = prefix;
        _fallback = fallback;
    }

    public string NameOf(string key) => $"{_prefix}__{key}";

    public string? String(string key)
    {
        var value = _section[key];
        if (string.IsNullOrWhiteSpace(value) && _fallback is not null)
        {
            value = _fallback[key];
        }

        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    public string RequiredString(string key) =>
        String(key) ?? throw new InvalidSettingException(NameOf(key), "is required but not set.");

    public Uri RequiredHttpUrl(string key)
    {
        var raw = RequiredString(key);
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidSettingException(NameOf(key), $"'{raw}' is not an absolute http:// or https:// URL.");
        }

        return uri;
    }

    public int Int(string key, int defaultValue, int min, int max)
    {
        var raw = String(key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new InvalidSettingException(NameOf(key), $"'{raw}' is not a whole number from {min} to {max}.");
        }

        return value;
    }

    public bool Bool(string key, bool defaultValue)
    {
        var raw = String(key);
        if (raw is null)
        {
            return defaultValue;
        }

        return bool.TryParse(raw, out var value)
            ? value
            : throw new InvalidSettingException(NameOf(key), $"'{raw}' is not true or false.");
    }

    public TEnum Enum<TEnum>(string key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var raw = String(key);
        if (raw is null)
        {
            return defaultValue;
        }

        if (System.Enum.TryParse<TEnum>(raw.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value)
            && System.Enum.IsDefined(value))
        {
            return value;
        }

        throw new InvalidSettingException(NameOf(key), $"'{raw}' is not one of {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
    }
}
