using System.Text.Json;
using System.Text.Json.Serialization;

namespace WalkieTalkie.WebWalkie.Api;

public sealed record ChannelInfo(int Number, string Name, int SampleRate, int Permits, string? Room);

public sealed record MeResponse(string? User, string Device, string? Name, string? Kind, string? MatrixDevice, string? Role, ChannelInfo[] Channels);

public sealed record ListenerInfo(string Name, string State, bool Web);

public sealed record LiveChannel(int Number, string? Talker, bool Priority, ListenerInfo[] Listeners);

public sealed record LiveResponse(LiveChannel[] Channels);

public sealed record BurstInfo(uint BurstId, int Channel, string Talker, long StartedAt, long DurationMs);

public sealed record BurstsResponse(BurstInfo[] Bursts);

public sealed record TicketResponse(string Ticket);

public sealed record RoomsResponse(string[] Rooms);

public sealed record AntiforgeryResponse(string Token, string Header);

public sealed record LoginRequest(string Name, string Password);

public sealed record LoginResponse(string User, string Role, string Device);

public sealed record ErrorResponse(string? Error);

public sealed record MatrixSessionRequest(string AccessToken, string MatrixServerName, string DeviceId, string RoomId);

public sealed record MatrixSessionResponse(string Session, string Device, string User, int Channel);

/// <summary>The homeserver's answers the standalone page reads (Client-Server API).</summary>
public sealed record MatrixLoginFlow(string Type);

public sealed record MatrixLoginFlows(MatrixLoginFlow[] Flows);

public sealed record MatrixIdentifier(string Type, string User);

public sealed record MatrixPasswordLogin(string Type, MatrixIdentifier Identifier, string Password, [property: JsonPropertyName("initial_device_display_name")] string DeviceName);

public sealed record MatrixTokenLogin(string Type, string Token, [property: JsonPropertyName("initial_device_display_name")] string DeviceName);

public sealed record MatrixLoginResponse([property: JsonPropertyName("user_id")] string UserId, [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("device_id")] string DeviceId);

public sealed record OpenIdToken([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("matrix_server_name")] string MatrixServerName,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public sealed record MatrixAccept([property: JsonPropertyName("user_id")] string UserId, [property: JsonPropertyName("device_id")] string DeviceId, bool Receive);

public sealed record MatrixEmpty;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(LiveResponse))]
[JsonSerializable(typeof(BurstsResponse))]
[JsonSerializable(typeof(TicketResponse))]
[JsonSerializable(typeof(RoomsResponse))]
[JsonSerializable(typeof(AntiforgeryResponse))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(MatrixSessionRequest))]
[JsonSerializable(typeof(MatrixSessionResponse))]
[JsonSerializable(typeof(MatrixLoginFlows))]
[JsonSerializable(typeof(MatrixPasswordLogin))]
[JsonSerializable(typeof(MatrixTokenLogin))]
[JsonSerializable(typeof(MatrixLoginResponse))]
[JsonSerializable(typeof(OpenIdToken))]
[JsonSerializable(typeof(MatrixAccept))]
[JsonSerializable(typeof(MatrixEmpty))]
internal sealed partial class WalkieJson : JsonSerializerContext;
