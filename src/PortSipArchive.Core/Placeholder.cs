namespace PortSipArchive;
