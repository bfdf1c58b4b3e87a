namespace AgentHost.Telemetry;

public enum OtlpProtocol
{
    Grpc,
    HttpProtobuf,
}
