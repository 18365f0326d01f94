-- CreateTable
CREATE TABLE "GatewayRateLimit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "GatewayRateLimit_pkey" PRIMARY KEY ("key")
);
