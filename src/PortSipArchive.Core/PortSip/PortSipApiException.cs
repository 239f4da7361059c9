using System.Net;

namespace PortSipArchive.PortSip;

/// <summary>PortSIP answered with an error. The message carries PortSIP's own error codes; never a token or password.</summary>
public class PortSipApiException : Exception
{
    public PortSipApiException(string source, string operation, HttpStatusCode? statusCode, PortSipErrorBody? errors, string? detail = null, Exception? innerException = null)
        : base(Describe(source, operation, statusCode, errors, detail), innerException)
    {
        Source = source;
        Operation = operation;
        StatusCode = statusCode;
        Errors = errors;
    }

    public PortSipApiException()
    {
        Source = Operation = string.Empty;
    }

    public PortSipApiException(string message) : base(message)
    {
        Source = Operation = string.Empty;
    }

    public PortSipApiException(string message, Exception innerException) : base(message, innerException)
    {
        Source = Operation = string.Empty;
    }

    /// <summary>The configured source name (not the exception's assembly).</summary>
    public new string Source { get; }

    public string Operation { get; }

    public HttpStatusCode? StatusCode { get; }

    public PortSipErrorBody? Errors { get; }

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    private static string Describe(string source, string operation, HttpStatusCode? status, PortSipErrorBody? errors, string? detail)
    {
        var text = $"PortSIP source '{source}': {operation} failed";
        if (status is not null)
        {
            text += $" with HTTP {(int)status} {status}";
        }

        if (errors is { Errors.Count: > 0 })
        {
            text += ": " + errors;
        }

        if (!string.IsNullOrEmpty(detail))
        {
            text += ". " + detail;
        }

        return text;
    }
}

/// <summary>Logging in failed (wrong credentials, 2FA on the account, an unusable login answer).</summary>
public sealed class PortSipAuthenticationException : PortSipApiException
{
    public PortSipAuthenticationException(string source, string operation, HttpStatusCode? statusCode, PortSipErrorBody? errors, string? detail = null)
        : base(source, operation, statusCode, errors, detail)
    {
    }

    public PortSipAuthenticationException()
    {
    }

    public PortSipAuthenticationException(string message) : base(message)
    {
    }

    public PortSipAuthenticationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
