using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace WalkieTalkie.Matrix.Client.Http;

/// <summary>
/// Sends requests to one homeserver: adds the access token, turns non-2xx answers into <see cref="MatrixException"/>,
/// and retries what is safe to retry (<see cref="RetryMode"/>), honouring <c>Retry-After</c>.
/// </summary>
public sealed class MatrixHttp
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private volatile string? _accessToken;

    public MatrixHttp(HttpClient http, Uri homeserver, MatrixHttpOptions? options = null, ILogger? logger = null)
    {
        _http = http;
        Homeserver = homeserver.AbsoluteUri.EndsWith('/') ? homeserver : new Uri(homeserver.AbsoluteUri + "/");
        Options = options ?? new MatrixHttpOptions();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The homeserver's base URL (the client-server API root, ending in '/').</summary>
    public Uri Homeserver { get; }

    public MatrixHttpOptions Options { get; }

    /// <summary>The bearer token sent with authenticated requests.</summary>
    public string? AccessToken { get => _accessToken; set => _accessToken = value; }

    /// <summary>Raised once per request that the server refused with <c>M_UNKNOWN_TOKEN</c>.</summary>
    public event Action<MatrixException>? TokenRejected;

    /// <summary>Sends a JSON request and reads a JSON answer as <typeparamref name="T"/>.</summary>
    public Task<T> SendJsonAsync<T>(HttpMethod method, string path, object? body, RetryMode retry,
        CancellationToken cancellationToken, bool authenticated = true, TimeSpan? timeout = null,
        RetryPolicy? policy = null) =>
        SendAsync(
            () =>
            {
                var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = body is JsonNode node
                        ? JsonContent.Create(node, options: MatrixJson.Options)
                        : JsonContent.Create(body, body.GetType(), options: MatrixJson.Options);
                }
                else if (method != HttpMethod.Get && method != HttpMethod.Delete)
                {
                    request.Content = JsonContent.Create(new JsonObject());
                }

                return request;
            },
            async (response, ct) => await ReadJsonAsync<T>(response, ct).ConfigureAwait(false),
            retry, cancellationToken, authenticated, timeout, policy);

    /// <summary>
    /// The general form: <paramref name="build"/> makes a fresh request for each attempt, <paramref name="read"/>
    /// consumes a 2xx answer (within the same timeout). Failures follow <paramref name="retry"/>.
    /// </summary>
    public async Task<T> SendAsync<T>(Func<HttpRequestMessage> build, Func<HttpResponseMessage, CancellationToken, Task<T>> read,
        RetryMode retry, CancellationToken cancellationToken, bool authenticated = true, TimeSpan? timeout = null,
        RetryPolicy? policy = null)
    {
        policy ??= Options.Retry;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            bool retryable;
            TimeSpan? retryAfter = null;
            using (var request = build())
            {
                request.RequestUri = new Uri(Homeserver, request.RequestUri!.OriginalString.TrimStart('/'));
                request.Headers.UserAgent.ParseAdd(Options.UserAgent);
                if (authenticated)
                {
                    var token = _accessToken ?? throw new InvalidOperationException(
                        "This Matrix client has no access token: log in or restore a stored session first.");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }

                using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attemptCts.CancelAfter(timeout ?? Options.RequestTimeout);
                try
                {
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead,
                        attemptCts.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return await read(response, attemptCts.Token).ConfigureAwait(false);
                    }

                    var error = await ReadErrorAsync(response, attemptCts.Token).ConfigureAwait(false);
                    if (error.IsUnknownToken)
                    {
                        TokenRejected?.Invoke(error);
                        throw error;
                    }
                    failure = error;
                    retryAfter = error.RetryAfter;
                    retryable = retry switch
                    {
                        RetryMode.Idempotent => error.IsTransient,
                        RetryMode.WhenNotProcessed => error.IsRateLimited,
                        _ => false,
                    };
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException timedOut)
                {
                    failure = new TimeoutException($"{request.Method} {request.RequestUri!.AbsolutePath} timed out", timedOut);
                    retryable = retry == RetryMode.Idempotent;
                }
                catch (HttpRequestException network)
                {
                    failure = network;
                    retryable = retry == RetryMode.Idempotent
                        || (retry == RetryMode.WhenNotProcessed && IsConnectionRefused(network));
                }
                catch (IOException io)
                {
                    failure = io;
                    retryable = retry == RetryMode.Idempotent;
                }
            }

            if (!retryable || attempt >= policy.MaxAttempts)
            {
                if (failure is MatrixException)
                {
                    throw failure;
                }

                throw failure is HttpRequestException or TimeoutException
                    ? failure
                    : new HttpRequestException(failure.Message, failure);
            }

            var delay = policy.DelayFor(attempt, retryAfter);
            _logger.LogWarning("Matrix request failed (attempt {Attempt}/{Max}): {Error}; retrying in {Delay}",
                attempt, policy.MaxAttempts, failure.Message, delay);
            await Options.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether a failure is worth another try later (network trouble, timeouts, 429, 5xx).</summary>
    public static bool IsTransient(Exception failure) => failure switch
    {
        MatrixException matrix => matrix.IsTransient,
        HttpRequestException or TimeoutException or IOException => true,
        _ => false,
    };

    private static bool IsConnectionRefused(HttpRequestException failure) =>
        failure.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(MatrixJson.Options, ct).ConfigureAwait(false);
            return value ?? throw new MatrixException(response.StatusCode, MatrixErrorCode.Unrecognized,
                "The homeserver answered with an empty body where JSON was expected.");
        }
        catch (JsonException bad)
        {
            throw new MatrixException(response.StatusCode, MatrixErrorCode.Unrecognized,
                $"The homeserver's answer is not the JSON expected: {bad.Message}");
        }
    }

    internal static async Task<MatrixException> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        JsonObject? body = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (text.Length > 0)
            {
                body = JsonNode.Parse(text) as JsonObject;
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status alone must do.
        }

        var errcode = body?["errcode"] is JsonValue c && c.TryGetValue(out string? code) ? code : MatrixErrorCode.Unrecognized;
        var message = body?["error"] is JsonValue e && e.TryGetValue(out string? text2) ? text2 : response.ReasonPhrase;
        return new MatrixException(response.StatusCode, errcode, message, ReadRetryAfter(response, body), body);
    }

    /// <summary>The spec prefers the <c>Retry-After</c> header (v1.10); <c>retry_after_ms</c> is the deprecated
    /// body field older servers send.</summary>
    private static TimeSpan? ReadRetryAfter(HttpResponseMessage response, JsonObject? body)
    {
        if (response.Headers.RetryAfter is { } header)
        {
            if (header.Delta is { } delta)
            {
                return delta;
            }

            if (header.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }
        if (body?["retry_after_ms"] is JsonValue ms && ms.TryGetValue(out long millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        return null;
    }

    /// <summary>Escapes one path segment (room ids hold '!' and ':', aliases '#').</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);

    internal static string Query(params (string Name, string? Value)[] parameters)
    {
        var parts = parameters.Where(p => p.Value is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}");
        var joined = string.Join('&', parts);
        return joined.Length == 0 ? "" : "?" + joined;
    }

    internal static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
