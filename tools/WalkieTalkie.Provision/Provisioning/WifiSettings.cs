namespace WalkieTalkie.Provision.Provisioning;

/// <summary>The Wi-Fi network a badge joins, as nanoff's network deployment takes it.</summary>
/// <param name="Authentication">nanoff's names: None, Open, Shared, WEP, WPA, WPA2 (EAP, PEAP, WCN).</param>
/// <param name="Encryption">nanoff's names: None, WEP, WPA, WPA2, WPA_PSK, WPA2_PSK2, Certificate.</param>
public sealed record WifiSettings(string Ssid, string Password, string Authentication = "WPA2", string Encryption = "WPA2");
