# One image for every role: `--role web`, `--role worker` (docker-compose.yml), or both (default).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/AgentHost/AgentHost.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# curl for the health checks; nothing else is added to the runtime image.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
COPY policies /app/policies
RUN useradd --system --uid 10001 agenthost && mkdir -p /app/data && chown agenthost /app/data
USER agenthost
ENV Urls=http://0.0.0.0:8080 \
    Policies__Path=/app/policies \
    Directory__Path=/app/directory.yaml
EXPOSE 8080
ENTRYPOINT ["dotnet", "AgentHost.dll"]
