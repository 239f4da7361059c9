namespace PortSipArchive.Api;

/// <summary>A client error the API answers with <c>{"error":{"code","message"}}</c> and the given status (400 or 404).</summary>
public sealed class ApiException : Exception
{
    public ApiException()
        : this(400, "bad_request", "Bad request.")
    {
    }

    public ApiException(string message)
        : this(400, "bad_request", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "bad_request";
    }

    public ApiException(int status, string code, string message)
        : base(message)
    {
        Status = status;
        Code = code;
    }

    public int Status { get; }

    public string Code { get; }

    /// <summary>400 <c>invalid_parameter</c> naming the parameter.</summary>
    public static ApiException Invalid(string parameter, string problem) =>
        new(400, "invalid_parameter", $"Parameter '{parameter}': {problem}");

    public static ApiException NotFound(string code, string message) => new(404, code, message);
}
